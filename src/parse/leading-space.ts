// White space before an element's first other text is removed by xmltodict's strip() at the end tag
// anyway, so the adapters do not send it: in a feed indented like the buses that is a quarter of all
// events. Only XML's own white space (space, tab, CR, LF) is dropped; any other text is sent as it came.

import { isXmlSpace } from './wellformed.js';

/** Tracks, for each open element, whether it has had text other than leading white space. */
export function leadingSpace() {
  const texted: boolean[] = [false]; // texted[depth]; depth 0 is outside the root
  let depth = 0;
  return {
    start(): void {
      texted[++depth] = false;
    },
    end(): void {
      depth--;
    },
    /** Whether this piece of text can go unsent: it is white space and nothing but white space came before it. */
    drops(text: string): boolean {
      if (texted[depth] === true) return false;
      for (let i = 0; i < text.length; i++) {
        if (!isXmlSpace(text.charCodeAt(i))) {
          texted[depth] = true;
          return false;
        }
      }
      return true;
    },
  };
}
