// ② The course's cosax.EventHandler: the tokenizer's calls become send(XmlEvent) on the chain.
// It also keeps the depth and text limits, and does not send white space that comes before an
// element's first other text (xmltodict strips it anyway; in an indented feed that is a quarter
// of all events), unless asked to keep it.
// Its three event objects are sent again and again: an event is valid until the stage yields.

import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, NO_ATTRIBUTES, type XmlEvent } from '../events.js';
import type { Limits } from '../limits.js';
import { isXmlSpace } from './chars.js';
import type { TokenHandler } from './tokenizer.js';

export interface AdapterOptions {
  /** send every text, white space included (xmltodict's strip_whitespace=False) @default false */
  keepSpace?: boolean | undefined;
  /** told of the end tag of an element opened before the tokenizer's enterContent() (a worker's range) */
  outerEnd?: ((name: string) => void) | undefined;
}

export class Adapter implements TokenHandler {
  private readonly started = { type: 'start' as const, name: '', attrs: NO_ATTRIBUTES as Attributes };
  private readonly texts = { type: 'text' as const, text: '' };
  private readonly ended = { type: 'end' as const, name: '' };
  private depth = 0;
  private run = 0; // characters of text since the last tag
  private readonly texted: boolean[] = [false]; // texted[depth]: the element has had text other than white space
  private readonly keepSpace: boolean;
  private readonly onOuterEnd: ((name: string) => void) | undefined;

  constructor(
    private readonly target: Coroutine<XmlEvent>,
    private readonly limits: Limits,
    /** where the tokenizer is, for a limit's fault: the start of the text being read, or `ahead` characters into it */
    private readonly position: (ahead?: number) => XmlPosition,
    options: AdapterOptions = {},
  ) {
    this.keepSpace = options.keepSpace === true;
    this.onOuterEnd = options.outerEnd;
  }

  /** Goes on inside `depth` open elements, as the tokenizer's enterContent() does. */
  enterContent(depth: number): void {
    this.depth = depth;
    this.run = 0;
    this.texted.fill(false);
  }

  startTag(name: string, attrs: Attributes): void {
    if (++this.depth > this.limits.maxDepth) throw this.limit(`elements nested deeper than ${this.limits.maxDepth} (maxDepth)`);
    this.run = 0;
    this.texted[this.depth] = false;
    const event = this.started;
    event.name = name;
    event.attrs = attrs;
    send(this.target, event);
  }

  text(source: string, start: number, end: number): void {
    if ((this.run += end - start) > this.limits.maxText) {
      const over = this.limits.maxText - (this.run - (end - start)); // the first character beyond the limit, in this piece
      throw this.limit(`text longer than ${this.limits.maxText} characters (maxText)`, Math.max(over, 0));
    }
    if (!this.keepSpace && !this.texted[this.depth]) {
      let i = start;
      while (i < end && isXmlSpace(source.charCodeAt(i))) i++;
      if (i === end) return;
      this.texted[this.depth] = true;
    }
    const event = this.texts;
    event.text = start === 0 && end === source.length ? source : source.slice(start, end);
    send(this.target, event);
  }

  endTag(name: string): void {
    this.depth--;
    this.run = 0;
    const event = this.ended;
    event.name = name;
    send(this.target, event);
  }

  outerEnd(name: string): void {
    this.depth--;
    this.run = 0;
    this.onOuterEnd?.(name);
  }

  private limit(reason: string, ahead = 0): XmlSyntaxError {
    return new XmlSyntaxError(reason, this.position(ahead), 'XML_LIMIT');
  }
}
