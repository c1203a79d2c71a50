// ② What both adapters do with the start tags, texts and end tags their parser has read: one root
// element, the depth and text limits, a DTD's default attributes, leading white space left unsent.

import { type Coroutine, send } from '../coroutine.js';
import type { XmlSyntaxError } from '../errors.js';
import type { Attributes, XmlEvent } from '../events.js';
import type { Limits } from '../limits.js';
import { type Dtd, parseDoctype } from './dtd.js';
import { leadingSpace } from './leading-space.js';

export class Elements {
  /** elements open now */
  depth = 0;
  rootSeen = false;
  private textRun = 0; // characters of text since the last tag
  private dtd: Dtd | undefined; // the internal subset's attribute declarations
  private readonly space = leadingSpace();

  constructor(
    private readonly target: Coroutine<XmlEvent>,
    private readonly limits: Limits,
    /** a syntax fault, and a limit fault, at the parser's position */
    private readonly fault: (reason: string) => XmlSyntaxError,
    private readonly limit: (reason: string) => XmlSyntaxError,
  ) {}

  doctype(text: string): void {
    this.dtd = parseDoctype(text);
  }

  /** Whether the DTD declares this attribute of this element a non-CDATA type, whose value collapses. */
  collapses(element: string, attribute: string): boolean {
    return this.dtd !== undefined && this.dtd.collapses(element, attribute);
  }

  start(name: string, attrs: Attributes): void {
    if (this.depth++ === 0 && this.rootSeen) throw this.fault(`a second root element <${name}>`);
    if (this.depth > this.limits.maxDepth) throw this.limit(`elements nested deeper than ${this.limits.maxDepth} (--max-depth)`);
    this.rootSeen = true;
    this.textRun = 0;
    this.space.start();
    if (this.dtd !== undefined) attrs = this.dtd.withDefaults(name, attrs, this.fault); // copies only when it adds
    send(this.target, { type: 'start', name, attrs });
  }

  text(text: string): void {
    if ((this.textRun += text.length) > this.limits.maxText) throw this.textTooLong();
    if (!this.space.drops(text)) send(this.target, { type: 'text', text });
  }

  /** Counts the end tag; sending it is the adapter's (saxes's adapter holds it back a little). */
  end(): void {
    this.depth--;
    this.textRun = 0;
    this.space.end();
  }

  textTooLong(): XmlSyntaxError {
    return this.limit(`text longer than ${this.limits.maxText} characters (--max-text)`);
  }
}
