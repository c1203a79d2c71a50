// ② The course's cosax.EventHandler: the tokenizer's calls become send(XmlEvent) on the chain.
// It also keeps the depth and text limits, and does not send white space that comes before an
// element's first other text (xmltodict strips it anyway; in an indented feed that is a quarter
// of all events), unless asked to keep it.
// Its three event objects are sent again and again: an event is valid until the stage yields. A stage
// that takes batches (the builder) gets the events of each chunk as one EventBatch instead.

import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, EventBatch, NO_ATTRIBUTES, type XmlEvent, isBatchTaker } from '../events.js';
import type { Limits } from '../limits.js';
import { isXmlSpace } from './chars.js';
import type { TokenHandler } from './tokenizer.js';

export interface AdapterOptions {
  /** send every text, white space included (xmltodict's strip_whitespace=False) @default false */
  keepSpace?: boolean | undefined;
  /** told of the end tag of an element opened before the tokenizer's enterContent() (a worker's range) */
  outerEnd?: ((name: string) => void) | undefined;
  /** the document offset of the construct being read (the tokenizer's offset()): given, a stage that takes batches gets them */
  offset?: (() => number) | undefined;
}

const BATCH = 1024; // events at most in a batch: a long chunk is sent in several

export class Adapter implements TokenHandler {
  private readonly started = { type: 'start' as const, name: '', attrs: NO_ATTRIBUTES as Attributes };
  private readonly texts = { type: 'text' as const, text: '' };
  private readonly ended = { type: 'end' as const, name: '' };
  private depth = 0;
  private run = 0; // characters of text since the last tag
  private readonly texted: boolean[] = [false]; // texted[depth]: the element has had text other than white space
  private readonly keepSpace: boolean;
  private readonly onOuterEnd: ((name: string) => void) | undefined;
  private readonly offset: (() => number) | undefined;
  private readonly batch: EventBatch | undefined; // events not yet sent, when the target takes batches

  constructor(
    private readonly target: Coroutine<XmlEvent | EventBatch>,
    private readonly limits: Limits,
    /** where the tokenizer is, for a limit's fault: the start of the text being read, or `ahead` characters into it */
    private readonly position: (ahead?: number) => XmlPosition,
    options: AdapterOptions = {},
  ) {
    this.keepSpace = options.keepSpace === true;
    this.onOuterEnd = options.outerEnd;
    this.offset = options.offset;
    if (this.offset !== undefined && isBatchTaker(target)) this.batch = new EventBatch();
  }

  /** Sends the events not yet sent (the tokenizer calls it before its chunk's positions go). */
  flush(): void {
    const batch = this.batch;
    if (batch === undefined || batch.length === 0) return;
    try {
      send(this.target, batch);
    } catch (error) {
      // a stage's fault, at the event it was given (the tokenizer is at the chunk's end by now)
      if (error instanceof XmlSyntaxError && error.line === undefined) throw new XmlSyntaxError(error.reason, this.position(batch.offset() - this.offset!()), error.code);
      throw error;
    } finally {
      batch.clear();
    }
  }

  /** After `error`, sends the events before it; returns the fault to report: one a stage finds in them comes first. */
  flushBefore(error: unknown): unknown {
    try {
      this.flush();
      return error;
    } catch (earlier) {
      return earlier;
    }
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
    if (this.batch !== undefined) {
      if (this.batch.length === BATCH) this.flush();
      this.batch.start(name, attrs, this.offset!());
      return;
    }
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
    if (this.batch !== undefined) {
      if (this.batch.length === BATCH) this.flush();
      this.batch.text(source, start, end, this.offset!());
      return;
    }
    const event = this.texts;
    event.text = start === 0 && end === source.length ? source : source.slice(start, end);
    send(this.target, event);
  }

  endTag(name: string): void {
    this.depth--;
    this.run = 0;
    if (this.batch !== undefined) {
      if (this.batch.length === BATCH) this.flush();
      this.batch.end(name, this.offset!());
      return;
    }
    const event = this.ended;
    event.name = name;
    send(this.target, event);
  }

  outerEnd(name: string): void {
    this.flush(); // in document order with the events before it
    this.depth--;
    this.run = 0;
    this.onOuterEnd?.(name);
  }

  private limit(reason: string, ahead = 0): XmlSyntaxError {
    return new XmlSyntaxError(reason, this.position(ahead), 'XML_LIMIT');
  }
}
