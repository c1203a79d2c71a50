// The converter as the suite sees it, once per parser backend: bytes in, JSON out, or a throw.
import { parseSync } from '../../src/parse/parse.js';
import { pipeline } from '../../src/pipeline.js';

export type Backend = 'sax';

/** Converts a whole document with this backend; throws XmlSyntaxError when it rejects it. */
export function converter(backend: Backend): (bytes: Uint8Array) => void {
  return (bytes) => {
    let out = '';
    // A backend option joins here when there is more than one (issue 4's saxes).
    void backend;
    parseSync([bytes], pipeline({ format: 'json' }, (text) => (out += text)));
    if (out === '') throw new Error('no output');
  };
}
