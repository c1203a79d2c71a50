// ② Our own tokenizer — the course's last step, its cxmlparse: text in, a handler's calls out, XML 1.0
// (5th edition) well-formedness checked as it scans. It jumps with indexOf to the next character that
// matters, makes no string that no one reads (an end tag's name is compared in place), names by a table
// (a cache hands out one string per name), and counts lines only to report a fault.
// Text, comments, CDATA sections, PIs and the DOCTYPE are read as streams, in states; a tag or a
// reference is read whole, in place, and one that a chunk's end cuts is carried to the next and read
// again once there is twice as much text — so a long one is read a few times, never once a chunk.
// Input text has its line ends normalised already (decode.ts); the driver keeps surrogate pairs whole.

import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, NO_ATTRIBUTES, setOwn } from '../events.js';
import { codePointName, forbiddenAt, isChar, isNameCharAt, isNameStartAt, isXmlSpace, nameEnd, spaceEnd } from './chars.js';
import { DoctypeFault, DoctypeReader, type Dtd, collapseSpaces, entityReason } from './doctype.js';

/** What the tokenizer calls: the course's EventHandler's three methods. */
export interface TokenHandler {
  /** a start tag, with its attributes (DTD defaults added); `NO_ATTRIBUTES` when there are none */
  startTag(name: string, attrs: Attributes): void;
  /** the end tag of the element open last (also right after the start tag of an empty element) */
  endTag(name: string): void;
  /** character data, `source.slice(start, end)`: text, CDATA or a reference's character, in pieces */
  text(source: string, start: number, end: number): void;
  /** after enterContent(…, true): the end tag of an element that opened before the text began */
  outerEnd?(name: string): void;
  /** the end of what write() read, while its offsets can still be placed: calls held back may go now */
  flush?(): void;
}

export interface TokenizerOptions {
  /** longest attribute value (and name) kept while it is read, in characters */
  maxText: number;
  /** longest prolog (XML declaration, DOCTYPE) @default 1 Mi, or maxText if lower */
  maxProlog?: number;
}

// The states: where a chunk may end outside a tag or reference (| is where the tokenizer is).
const PROLOG = 0; //   |<?xml version="1.0"?>   before the root: white space, comments, PIs, one DOCTYPE
const CONTENT = 1; //  <r>text|                 inside the root: text, references, markup
const EPILOG = 2; //   </r>|                    after the root: white space, comments, PIs
const COMMENT = 3; //  <!-- note|               up to '-->' ('--' may not occur inside)
const CDATA = 4; //    <![CDATA[x|              up to ']]>'
const PI = 5; //       <?target body|           up to '?>'
const DOCTYPE = 6; //  <!DOCTYPE r [ <!EL|      read by the DoctypeReader
const SKIP = 7; //     x</b><c|                 skipTo(): looking for the next record's start tag
const INSIDE = ['', '', '', 'a comment', 'a CDATA section', 'a processing instruction']; // what the document ends inside

const LESS = 0x3c; // <
const GREATER = 0x3e; // >
const SLASH = 0x2f; // /
const BANG_MARK = 0x21; // !
const QUESTION = 0x3f; // ?
const AMP = 0x26; // &
const SEMI = 0x3b; // ;
const EQUALS = 0x3d; // =
const QUOT = 0x22; // "
const APOS = 0x27; // '
const HASH = 0x23; // #
const DASH = 0x2d; // -
const RSQB = 0x5d; // ]

// [24], [80], [32]: the XML declaration's pseudo-attributes, in the order they must come, and their values.
const PSEUDO_ATTRIBUTES = [
  { name: 'version', valid: /^1\.[0-9]+$/, wrong: (value: string) => `version "${value}" is not 1.x` },
  { name: 'encoding', valid: /^[A-Za-z][A-Za-z0-9._-]*$/, wrong: (value: string) => `encoding name "${value}" is malformed` },
  { name: 'standalone', valid: /^(?:yes|no)$/, wrong: () => 'standalone must be "yes" or "no"' },
];
const BANG_WORDS = [['--', COMMENT], ['[CDATA[', CDATA], ['DOCTYPE', DOCTYPE]] as const;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const MAX_PROLOG = 1024 * 1024;
const NAME_SLOTS = 512; // a power of two
const NEVER = Number.MAX_SAFE_INTEGER; // "no such character in this chunk"

export class Tokenizer {
  private state = PROLOG;
  private readonly stack: string[] = []; // names of the open elements
  private depth = 0;
  private rootSeen = false;
  private unknownAbove = false; // enterContent(…, true): elements may close that opened before the text began
  private skipNames: readonly string[] = []; // skipTo(): the names a record's start tag may have

  // the chunk being read: carried text + the new text
  private s = '';
  private base = 0; // offset in the document of s[0]
  private lines = 0; // line ends before s[0]
  private lineStart = 0; // offset in the document of the line s[0] is on
  private carry = ''; // an unfinished tag or reference, or a few characters of lookahead, read again later
  private retryAt = 0; // the length the text must reach before it is read again: twice what was carried
  // next '&' and ']]>' in s at or after the last place they were looked for
  private amp = -1;
  private cdataEnd = -1;

  private tokenAt = 0; // offset in the document where what is being read started (its '<', its '&', its text)
  private tokenPosition: XmlPosition | undefined; // its position, once its chunk is gone (a comment, a PI…)
  private value = ''; // the attribute value attrValue() read last
  private replacement = ''; // what the reference reference() read last stands for
  private piBody = ''; // the XML declaration's body (other PIs are not kept)
  private piIsDeclaration = false;
  private bom = 0; // 1 when the text began with U+FEFF
  private markDropped = false; // afterMark(): the decoder dropped the byte order mark, so no U+FEFF may stand for one
  private final = false; // end(): no more text comes, so nothing is carried
  private doctype: DoctypeReader | undefined;
  private dtd: Dtd | undefined;
  private prologLength = 0;
  private readonly names: Array<string | undefined> = new Array(NAME_SLOTS).fill(undefined); // one string per name
  private slot = 0; // the slot of the name intern() returned last
  // Record-shaped XML repeats its tags in order: the start tag that followed a tag last time is
  // guessed to follow it again, and a guess that holds spares reading the name.
  private readonly follows: Array<string | undefined> = new Array(2 * NAME_SLOTS).fill(undefined);
  private readonly followsSlot = new Int32Array(2 * NAME_SLOTS);
  private readonly slots: number[] = []; // the slot of each open element's name
  private previous = -1; // the last tag: its name's slot, + NAME_SLOTS for an end tag
  private readonly maxText: number;
  private readonly maxProlog: number;

  constructor(private readonly handler: TokenHandler, options: TokenizerOptions) {
    this.maxText = options.maxText;
    this.maxProlog = Math.min(options.maxProlog ?? MAX_PROLOG, options.maxText);
  }

  /**
   * Reads more of the document; the handler is called before this returns. Throws XmlSyntaxError.
   * `checked`: the caller knows `text` holds no character XML forbids (the decoder saw its bytes).
   */
  write(text: string, checked = false): void {
    const carried = this.carry;
    const s = carried === '' ? text : carried + text;
    this.s = s;
    if (s.length < this.retryAt && !this.final && (checked || forbiddenAt(text) < 0)) {
      this.carry = s; // not yet twice as much text as was carried: wait for more
      return;
    }
    this.carry = '';
    this.retryAt = 0;
    this.amp = -1;
    this.cdataEnd = -1;
    const wall = forbiddenAt(checked ? carried : s); // (what skipTo() carried was not looked at yet)
    const end = wall < 0 ? s.length : wall;
    for (let i = 0; i < end; ) i = this.step(s, i, end);
    if (wall >= 0) this.fail(`character ${codePointName(s.codePointAt(wall)!)} is not allowed in XML`, wall);
    this.handler.flush?.();
    this.advance(s.length - this.carry.length);
    this.s = this.carry;
  }

  /** No more text: the document must be complete. Throws XmlSyntaxError. */
  end(): void {
    this.final = true;
    this.write(''); // what was carried
    const at = this.s.length; // the end of the document
    if (this.state === DOCTYPE) this.doctypeRest(this.s, at, at); // the reader names what is missing
    if (this.state === EPILOG) return;
    if (this.state === PROLOG) this.fail('no root element', at);
    if (this.state === CONTENT || this.state === SKIP) this.fail(`the document ends inside <${this.stack[this.depth - 1]}>: its end tag is missing`, at);
    this.fail(`the document ends inside ${INSIDE[this.state]}`, at);
  }

  /** Where the construct being reported began (for a fault a stage finds in it), or `ahead` characters into it, on one line or more. */
  position(ahead = 0): XmlPosition {
    return this.positionOf(this.tokenAt + ahead);
  }

  /** The decoder dropped a byte order mark: a U+FEFF that begins the text is a character (expat rejects two marks). */
  afterMark(): void {
    this.markDropped = true;
  }

  /** Where the text written so far ends (for a fault in what comes after it: bad bytes). */
  endPosition(): XmlPosition {
    this.readWaiting(); // a fault in it comes first
    return this.positionAt(this.s.length); // s is what is carried now
  }

  /** Reads now what waits for more text (see carryFrom). */
  private readWaiting(): void {
    this.retryAt = 0;
    if (this.carry !== '') this.write('');
  }

  // ── the scanner ──

  /** One state's reading: where it goes on (s.length when it carries the rest). */
  private step(s: string, i: number, end: number): number {
    switch (this.state) {
      case CONTENT: return this.content(s, i, end);
      case PROLOG: case EPILOG: return this.misc(s, i, end);
      case COMMENT: return this.comment(s, i, end);
      case CDATA: return this.cdata(s, i, end);
      case PI: return this.piBodyRest(s, i, end);
      case DOCTYPE: return this.doctypeRest(s, i, end);
      default: return this.skip(s, i, end); // SKIP
    }
  }

  /** Reads s[from…) again with more text: a token the chunk's end cut, or what may begin one. */
  private carryFrom(s: string, from: number): number {
    this.carry = s.slice(from);
    this.retryAt = 2 * this.carry.length;
    return s.length;
  }

  /**
   * The chunk ends inside the tag or reference that began at s[from]: it is carried (see carryFrom), or
   * at the end of the document, a fault: it ends inside `what`. A name still being read, from s[name]
   * on, may be no longer than maxText.
   */
  private unfinished(s: string, from: number, end: number, what: string, name = end): number {
    this.nameWithin(name, end);
    if (this.final) this.fail(`the document ends inside ${what}`, end);
    return this.carryFrom(s, from);
  }

  /** The chunk is read up to `kept`: count its lines, and place what is open and began in it (a comment, a PI…). */
  private advance(kept: number): void {
    const s = this.s;
    const open = this.state !== CONTENT && this.state !== PROLOG && this.state !== EPILOG;
    let mark = this.tokenAt - this.base; // in s
    if (!open || mark >= kept) mark = -1;
    if (!open) this.tokenPosition = undefined;
    const here = (i: number): XmlPosition => this.placed(this.lines + 1, this.lineStart, i);
    for (let nl = s.indexOf('\n'); nl >= 0 && nl < kept; nl = s.indexOf('\n', nl + 1)) {
      if (mark >= 0 && mark <= nl) {
        this.tokenPosition = here(mark);
        mark = -1;
      }
      this.lines++;
      this.lineStart = this.base + nl + 1;
    }
    if (mark >= 0) this.tokenPosition = here(mark);
    this.base += kept;
  }

  /** Text inside the root element, and the markup and references in it, read here without going back to the dispatcher. */
  private content(s: string, i: number, end: number): number {
    for (;;) {
      const lt = s.indexOf('<', i);
      let stop = lt < 0 || lt > end ? end : lt;
      if (this.amp < i) this.amp = indexOrNever(s, '&', i);
      const atReference = this.amp < stop;
      if (atReference) stop = this.amp;
      if (stop > i) {
        if (this.cdataEnd < i) this.cdataEnd = indexOrNever(s, ']]>', i);
        if (this.cdataEnd + 3 <= stop) this.fail('"]]>" is not allowed in text', this.cdataEnd);
        if (stop === end && !this.final) return this.textToEnd(s, i, end);
        this.sendText(s, i, stop);
      }
      if (stop === end) return end;
      this.tokenAt = this.base + stop;
      i = atReference ? this.textReference(s, stop, end) : this.markup(s, stop, end);
      if (this.state !== CONTENT) return i;
    }
  }

  /** Text up to the chunk's end but for its last ']'s, carried: they may begin a ']]>'. */
  private textToEnd(s: string, i: number, end: number): number {
    let keep = end;
    if (s.charCodeAt(keep - 1) === RSQB) keep--;
    if (keep > i && s.charCodeAt(keep - 1) === RSQB) keep--;
    if (keep > i) this.sendText(s, i, keep);
    return keep < end ? this.carryFrom(s, keep) : end;
  }

  private sendText(s: string, start: number, end: number): void {
    this.tokenAt = this.base + start;
    this.handler.text(s, start, end);
  }

  /** Before or after the root: only white space between the markup. */
  private misc(s: string, i: number, end: number): number {
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === LESS) {
        this.tokenAt = this.base + i;
        return this.markup(s, i, end);
      }
      if (!isXmlSpace(c)) {
        if (c === 0xfeff && this.base + i === 0 && !this.markDropped) {
          this.bom = 1; // a byte order mark given as text
          i++;
          continue;
        }
        this.fail(this.rootSeen ? 'text after the root element' : 'text before the root element', i);
      }
      i++;
    }
    return i;
  }

  /** At '<' (s[lt]): the character after it says what follows. */
  private markup(s: string, lt: number, end: number): number {
    if (lt + 1 === end) return this.unfinished(s, lt, end, 'markup');
    const c = s.charCodeAt(lt + 1);
    if (c === SLASH) return this.depth > 0 ? this.endTag(s, lt, end) : this.outerEndTag(s, lt, end);
    if (c === BANG_MARK) return this.bang(s, lt, end);
    if (c === QUESTION) return this.piTarget(s, lt, end);
    return this.startTag(s, lt, end);
  }

  // ── tags, read whole ──

  /** A start tag from its '<' at s[lt]: the name, then the attributes, then '>' or '/>'. */
  private startTag(s: string, lt: number, end: number): number {
    if (!isNameStartAt(s, lt + 1)) {
      const what = isXmlSpace(s.charCodeAt(lt + 1)) ? 'white space is not allowed after "<"' : `"${charAt(s, lt + 1)}" cannot start an element name`;
      this.fail(what, lt + 1);
    }
    if (this.depth === 0 && this.rootSeen && !this.unknownAbove) this.failAt('a second root element', this.tokenAt);
    const key = this.previous;
    const guess = key >= 0 ? this.follows[key] : undefined;
    let j = guess === undefined ? -1 : lt + 1 + guess.length;
    let name: string;
    let slot: number;
    if (j >= 0 && j < end && s.startsWith(guess!, lt + 1) && !isNameCharAt(s, j)) {
      name = guess!;
      slot = this.followsSlot[key]!;
    } else {
      j = nameEnd(s, lt + 1, end);
      if (j < 0) return this.unfinished(s, lt, end, `the start tag of <${s.slice(lt + 1, end)}>`, lt + 1);
      name = this.intern(s, lt + 1, j);
      slot = this.slot;
      if (key >= 0) {
        this.follows[key] = name;
        this.followsSlot[key] = slot;
      }
    }
    let attrs: Attributes = NO_ATTRIBUTES;
    for (;;) {
      const k = spaceEnd(s, j, end);
      if (k === end) return this.unfinishedTag(s, lt, end, name);
      const c = s.charCodeAt(k);
      if (c === GREATER) {
        this.openElement(name, slot, attrs);
        return k + 1;
      }
      if (c === SLASH) {
        if (k + 1 === end) return this.unfinishedTag(s, lt, end, name);
        if (s.charCodeAt(k + 1) !== GREATER) this.fail('expected ">" after "/" in a start tag', k + 1);
        this.openElement(name, slot, attrs);
        this.closeElement();
        return k + 2;
      }
      if (!isNameStartAt(s, k)) this.fail(c === LESS ? '"<" inside a start tag (is a ">" missing?)' : `"${charAt(s, k)}" cannot start an attribute name`, k);
      if (k === j) this.fail('white space is required between attributes', k); // right after a value
      const nameStop = nameEnd(s, k, end);
      if (nameStop < 0) return this.unfinishedTag(s, lt, end, name, k);
      const attribute = this.intern(s, k, nameStop);
      if (attrs !== NO_ATTRIBUTES && Object.hasOwn(attrs, attribute)) this.fail(`attribute "${attribute}" appears twice in a start tag`, k);
      const eq = spaceEnd(s, nameStop, end);
      if (eq === end) return this.unfinishedTag(s, lt, end, name);
      if (s.charCodeAt(eq) !== EQUALS) this.fail(`expected "=" after the attribute name "${attribute}"`, eq);
      const q = spaceEnd(s, eq + 1, end);
      if (q === end) return this.unfinishedTag(s, lt, end, name);
      j = this.attrValue(s, q, end, attribute);
      if (j < 0) {
        if (this.final) this.fail(`the value of attribute "${attribute}" is never closed: the document ends inside it`, q);
        return this.carryFrom(s, lt);
      }
      if (attrs === NO_ATTRIBUTES) attrs = {};
      setOwn(attrs, attribute, this.value);
    }
  }

  /** The chunk ends inside the start tag of <name>, from s[lt] (and in a name from s[nameAt], if given). */
  private unfinishedTag(s: string, lt: number, end: number, name: string, nameAt = end): number {
    return this.unfinished(s, lt, end, `the start tag of <${name}>`, nameAt);
  }

  /**
   * The value quoted from s[q] on: where it ends, with the value in `this.value` — no '<', references
   * replaced, a literal tab or newline as a space (§3.3.3) — or -1 when the chunk ends inside it.
   */
  private attrValue(s: string, q: number, end: number, name: string): number {
    const quote = s.charCodeAt(q);
    if (quote !== QUOT && quote !== APOS) this.fail(`the value of attribute "${name}" must be in quotes`, q);
    let value = '';
    let from = q + 1;
    for (let j = from; j < end; j++) {
      const c = s.charCodeAt(j);
      if (c === quote) {
        this.value = value + s.slice(from, j); // most often '' + the value in one piece: no copy
        this.bound(this.value.length, q);
        return j + 1;
      }
      if (c === LESS) this.fail(`"<" is not allowed in the value of attribute "${name}" (is its closing quote missing?)`, j);
      if (c === AMP || c === 0x09 || c === 0x0a || c === 0x0d) {
        value += s.slice(from, j);
        if (c === AMP) {
          const next = this.reference(s, j, end);
          if (next < 0) return -1;
          value += this.replacement;
          j = next - 1; // on after the ';'
        } else value += ' ';
        this.bound(value.length, q);
        from = j + 1;
      }
    }
    this.bound(value.length + end - from, q);
    return -1;
  }

  /** An attribute value of this many characters (so far), quoted at s[q], is within maxText. */
  private bound(length: number, q: number): void {
    if (length > this.maxText) this.limit(`an attribute value longer than ${this.maxText} characters (maxText)`, q);
  }

  /** The name s[start, end) (so far) is within maxText; a fault is at its first character. */
  private nameWithin(start: number, end: number): void {
    if (end - start > this.maxText) this.limit(`a name longer than ${this.maxText} characters (maxText)`, start);
  }

  private openElement(name: string, slot: number, attrs: Attributes): void {
    const decls = this.dtd?.attributesOf(name);
    if (decls !== undefined) attrs = this.declared(decls, attrs);
    this.slots[this.depth] = this.previous = slot;
    this.stack[this.depth++] = name;
    this.rootSeen = true;
    this.state = CONTENT;
    this.handler.startTag(name, attrs); // a fault it raises is placed at the tag
  }

  /** The element open last ends. */
  private closeElement(): void {
    const name = this.stack[--this.depth]!;
    this.previous = this.slots[this.depth]! + NAME_SLOTS;
    this.handler.endTag(name);
    this.state = this.outer();
  }

  /** The DTD's part: non-CDATA values collapsed, defaults added. */
  private declared(decls: ReturnType<Dtd['attributesOf']> & object, attrs: Attributes): Attributes {
    if (attrs !== NO_ATTRIBUTES) {
      for (const name in attrs) if (decls.get(name)?.cdata === false) attrs[name] = collapseSpaces(attrs[name]!);
    }
    try {
      return this.dtd!.withDefaults(decls, attrs);
    } catch (error) {
      return this.failAt((error as Error).message, this.tokenAt);
    }
  }

  /** An end tag from its '<' at s[lt]: its name, compared in place with the open element's, then '>'. */
  private endTag(s: string, lt: number, end: number): number {
    const open = this.stack[this.depth - 1]!;
    const j = lt + 2 + open.length;
    if (!(j < end && s.startsWith(open, lt + 2) && !isNameCharAt(s, j))) return this.wrongEndTag(s, lt, end, open);
    const k = spaceEnd(s, j, end);
    if (k === end) return this.unfinished(s, lt, end, `the end tag of <${open}>`);
    if (s.charCodeAt(k) !== GREATER) this.fail(`expected ">" to end the end tag </${open}>`, k);
    this.closeElement();
    return k + 1;
  }

  /** An end tag whose name is not the open element's (or not yet: the chunk ends in it): read whole for the message. */
  private wrongEndTag(s: string, lt: number, end: number, open: string): number {
    const name = this.endTagName(s, lt, end);
    if (name < 0) return this.unfinished(s, lt, end, `the end tag of <${open}>`, lt + 2);
    this.fail(`the end tag </${s.slice(lt + 2, name)}> does not match <${open}>`, lt + 2);
  }

  /** After enterContent(…, true), at depth 0: the end tag of an element opened before the text began. */
  private outerEndTag(s: string, lt: number, end: number): number {
    if (!this.unknownAbove) this.failAt(this.rootSeen ? 'an end tag after the root element' : 'an end tag before the root element', this.tokenAt);
    const stop = this.endTagName(s, lt, end);
    if (stop < 0) return this.unfinished(s, lt, end, 'an end tag', lt + 2);
    const name = s.slice(lt + 2, stop);
    const k = spaceEnd(s, stop, end);
    if (k === end) return this.unfinished(s, lt, end, `the end tag of <${name}>`);
    if (s.charCodeAt(k) !== GREATER) this.fail(`expected ">" to end the end tag </${name}>`, k);
    this.handler.outerEnd?.(name);
    return k + 1;
  }

  /** Where an end tag's name, after '</' at s[lt], ends: -1 when the chunk ends first. */
  private endTagName(s: string, lt: number, end: number): number {
    const i = lt + 2;
    if (i < end && !isNameStartAt(s, i)) this.fail(isXmlSpace(s.charCodeAt(i)) ? 'white space is not allowed after "</"' : 'expected an element name after "</"', i);
    return nameEnd(s, i, end);
  }

  // ── references, read whole ──

  /** A reference in text, at its '&' (s[amp]): its character is text. */
  private textReference(s: string, amp: number, end: number): number {
    const next = this.reference(s, amp, end);
    if (next < 0) return this.unfinished(s, amp, end, 'a reference', amp + 1);
    this.handler.text(this.replacement, 0, this.replacement.length);
    return next;
  }

  /**
   * The reference at s[amp]: '&' and a name or '#' and a number, then ';'. Where reading goes on, with
   * what it stands for in `this.replacement`, or -1 when the chunk ends inside it.
   */
  private reference(s: string, amp: number, end: number): number {
    let j = amp + 1;
    if (j === end) return -1;
    if (s.charCodeAt(j) === HASH) {
      const digits = ++j;
      while (j < end && isReferenceDigit(s.charCodeAt(j))) j++;
      if (j === end) return -1;
      if (s.charCodeAt(j) !== SEMI) {
        if (j === digits) this.fail(s.charCodeAt(j) === 0x58 ? 'the "x" of a hexadecimal character reference is lowercase (&#x41;)' : 'expected digits after "&#"', j);
        this.fail('a character reference ends with ";" after its digits', j);
      }
      this.replacement = this.character(s.slice(digits, j), amp);
      return j + 1;
    }
    if (!isNameStartAt(s, j)) this.fail('"&" must start a reference: &name; or &#number; (write & as &amp;)', j);
    j = nameEnd(s, j, end);
    if (j < 0) return -1;
    if (s.charCodeAt(j) !== SEMI) this.fail('a reference ends with ";" after its name', j);
    this.nameWithin(amp + 1, j);
    const name = s.slice(amp + 1, j);
    if (!Object.hasOwn(PREDEFINED, name)) this.fail(entityReason(name, this.dtd), amp);
    this.replacement = PREDEFINED[name]!;
    return j + 1;
  }

  /** The character of `&#digits;` at s[amp]: decimal digits, or 'x' and hex digits, for a character XML allows. */
  private character(digits: string, amp: number): string {
    const hex = digits.charCodeAt(0) === 0x78; // x
    if (!(hex ? /^x[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) this.fail(`&#${digits}; is not a character reference (&#123; or &#x7B;)`, amp);
    const code = parseInt(hex ? digits.slice(1) : digits, hex ? 16 : 10);
    if (!isChar(code)) this.fail(`&#${digits}; is not a character XML allows`, amp);
    return String.fromCodePoint(code);
  }

  // ── markup read as a stream ──

  /** At '<!': a comment, a CDATA section (in the root), or the DOCTYPE (before it). */
  private bang(s: string, lt: number, end: number): number {
    const i = lt + 2;
    for (const [word, then] of BANG_WORDS) {
      const have = Math.min(end - i, word.length);
      if (!s.startsWith(word.slice(0, have), i)) continue;
      if (have < word.length) return this.unfinished(s, lt, end, 'markup'); // the keyword goes on in the next chunk
      if (then === CDATA && this.depth === 0 && !this.unknownAbove) this.failAt('a CDATA section outside the root element', this.tokenAt);
      if (then === DOCTYPE) {
        if (this.rootSeen) this.failAt('a DOCTYPE after the root element', this.tokenAt);
        if (this.doctype !== undefined) this.failAt('a second DOCTYPE', this.tokenAt);
        this.doctype = new DoctypeReader();
        this.doctype.feed('<!DOCTYPE', false); // it reads from the '<' (and needs more)
        this.prologLength = '<!DOCTYPE'.length;
      }
      this.state = then;
      return i + word.length;
    }
    if (this.depth > 0) this.fail(s.charCodeAt(i) === 0x5b ? 'a CDATA section starts "<![CDATA[", in capitals' : '"<!" must start a comment or a CDATA section', i);
    this.fail(this.rootSeen ? 'markup other than a comment or a PI after the root element' : 'markup other than a comment, a PI or the DOCTYPE before the root element', i);
  }

  /** Inside a comment: up to '--', which must be followed by '>'. */
  private comment(s: string, i: number, end: number): number {
    const dashes = s.indexOf('--', i);
    if (dashes < 0 || dashes + 2 > end) {
      if (this.final) return end;
      return s.charCodeAt(end - 1) === DASH ? this.carryFrom(s, end - 1) : end; // that '-' may begin a '--'
    }
    if (dashes + 2 === end) return this.final ? end : this.carryFrom(s, dashes); // what follows '--' is in the next chunk
    if (s.charCodeAt(dashes + 2) !== GREATER) this.fail('"--" is not allowed inside a comment', dashes);
    this.state = this.outer();
    return dashes + 3;
  }

  /** Inside a CDATA section: its text up to ']]>'. */
  private cdata(s: string, i: number, end: number): number {
    const close = s.indexOf(']]>', i);
    if (close < 0 || close + 3 > end) return this.final ? end : this.textToEnd(s, i, end);
    if (close > i) this.sendText(s, i, close);
    this.state = CONTENT;
    return close + 3;
  }

  /** At '<?': the target, read whole (the XML declaration only first, in lower case); the body is a stream. */
  private piTarget(s: string, lt: number, end: number): number {
    const i = lt + 2;
    if (i < end && !isNameStartAt(s, i)) this.fail('expected a processing-instruction target after "<?"', i);
    const j = i < end ? nameEnd(s, i, end) : -1;
    if (j < 0) return this.unfinished(s, lt, end, 'a processing instruction', i);
    this.nameWithin(i, j);
    const target = s.slice(i, j);
    const declaration = target === 'xml' && this.tokenAt === this.bom;
    if (!declaration && target.toLowerCase() === 'xml') {
      this.failAt(this.tokenAt === this.bom ? 'malformed XML declaration' : 'the XML declaration must be at the very start of the document', this.tokenAt);
    }
    const c = s.charCodeAt(j);
    if (c === QUESTION) {
      // '<?target?>': no body
      if (j + 1 === end) return this.unfinished(s, lt, end, 'a processing instruction');
      if (s.charCodeAt(j + 1) !== GREATER) this.fail('white space is required after a processing-instruction target', j);
      if (declaration) this.xmlDeclaration('');
      this.state = this.outer();
      return j + 2;
    }
    if (!isXmlSpace(c)) this.fail('white space is required after a processing-instruction target', j);
    this.piIsDeclaration = declaration;
    this.piBody = '';
    this.state = PI;
    return j;
  }

  /** Up to '?>'. The XML declaration's body is kept, to be checked. */
  private piBodyRest(s: string, i: number, end: number): number {
    const close = s.indexOf('?>', i);
    if (close < 0 || close + 2 > end) {
      if (this.final) return end;
      const keep = s.charCodeAt(end - 1) === QUESTION ? end - 1 : end; // that '?' may begin the '?>'
      if (this.piIsDeclaration) {
        this.piBody += s.slice(i, keep);
        if (this.piBody.length > this.maxProlog) this.limit(`the prolog (XML declaration and DOCTYPE) is longer than ${this.maxProlog} characters`);
      }
      return keep < end ? this.carryFrom(s, keep) : end;
    }
    if (this.piIsDeclaration) this.xmlDeclaration(this.piBody + s.slice(i, close));
    this.state = this.outer();
    return close + 2;
  }

  /** [23] XMLDecl's body, after '<?xml': its pseudo-attributes, in their order, each a valid value. */
  private xmlDeclaration(body: string): void {
    const fail = (reason: string, at: number): never => this.failAt(reason, this.tokenAt + 5 + at); // body[0] is 5 after '<'
    const space = (j: number): number => {
      while (isXmlSpace(body.charCodeAt(j))) j++;
      return j;
    };
    let k = 0;
    for (const { name, valid, wrong } of PSEUDO_ATTRIBUTES) {
      let j = space(k);
      if (j === k || !body.startsWith(name, j)) {
        if (name === 'version') fail('the XML declaration must start with version="1.x"', space(0));
        continue; // encoding and standalone may be left out
      }
      j = space(j + name.length);
      if (body.charCodeAt(j) !== EQUALS) fail(`expected "=" after ${name} in the XML declaration`, j);
      j = space(j + 1);
      const quote = body[j];
      if (quote !== '"' && quote !== "'") fail(`the value of ${name} in the XML declaration must be in quotes`, j);
      const close = body.indexOf(quote, j + 1);
      if (close < 0) fail(`the value of ${name} in the XML declaration is not closed`, body.length);
      const value = body.slice(j + 1, close);
      if (!valid.test(value)) fail(wrong(value), j + 1);
      k = close + 1;
    }
    k = space(k);
    if (k < body.length) fail('unexpected text in the XML declaration', k);
  }

  /** Feeds the DOCTYPE reader; back in the prolog when it has read the whole DOCTYPE. */
  private doctypeRest(s: string, i: number, end: number): number {
    const reader = this.doctype!;
    const piece = s.slice(i, end);
    let used: number;
    try {
      used = reader.feed(piece, this.final);
    } catch (error) {
      if (!(error instanceof DoctypeFault)) throw error;
      const start = this.positionOf(this.tokenAt);
      const { lines, column } = reader.where(error.offset);
      throw new XmlSyntaxError(error.reason, lines === 0 ? { line: start.line, column: start.column + column } : { line: start.line + lines, column: column + 1 });
    }
    this.prologLength += used < 0 ? piece.length : used; // (also when the DOCTYPE ends in this piece)
    if (this.prologLength > this.maxProlog) this.limit(`the prolog (XML declaration and DOCTYPE) is longer than ${this.maxProlog} characters`);
    if (used < 0) {
      if (this.final) this.fail('the DOCTYPE is not closed', end);
      return end;
    }
    this.dtd = reader.dtd;
    this.state = PROLOG;
    return i + used;
  }

  /** Where markup returns to when it ends. */
  private outer(): number {
    return this.depth > 0 || this.unknownAbove ? CONTENT : this.rootSeen ? EPILOG : PROLOG;
  }

  /** The name s[start, end), one string per name: repeated names are the same string. Its slot is `this.slot`. */
  private intern(s: string, start: number, end: number): string {
    const length = end - start;
    this.nameWithin(start, end);
    const slot = (this.slot = (length * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(end - 1)) & (NAME_SLOTS - 1));
    const known = this.names[slot];
    if (known !== undefined && known.length === length && s.startsWith(known, start)) return known;
    const name = s.slice(start, end);
    this.names[slot] = name;
    return name;
  }

  // ── reading from the middle of a document ──

  /**
   * Reads on as if in content, inside the elements `open` (outermost first): a worker's byte range,
   * or the records after a faulty one. With `unknownAbove`, elements above them may be open too:
   * their end tags go to `handler.outerEnd`. Offsets and positions count from here.
   */
  enterContent(open: readonly string[], unknownAbove: boolean): void {
    this.state = CONTENT;
    this.depth = 0;
    for (const name of open) {
      this.stack[this.depth] = this.intern(name, 0, name.length);
      this.slots[this.depth++] = this.slot;
    }
    this.rootSeen = true;
    this.unknownAbove = unknownAbove;
    this.carry = this.s = '';
    this.retryAt = 0;
    this.base = this.lines = this.lineStart = this.tokenAt = this.bom = 0; // (a mark long behind is no longer on line 1)
    this.tokenPosition = undefined;
    this.previous = -1;
  }

  /**
   * After a fault inside a record: drops the rest of it and reads on from the next start tag named one
   * of `names`, inside the elements `open`. The text after the fault is read again by the next write().
   */
  skipTo(names: readonly string[], open: readonly string[]): void {
    const from = Math.min(Math.max(this.tokenAt + 1 - this.base, 0), this.s.length);
    const rest = this.s.slice(from);
    this.advance(from);
    this.enterContent(open, this.unknownAbove);
    this.base = this.tokenAt = 0; // positions go on from the fault: kept by advance() above
    this.carry = rest;
    this.skipNames = names;
    this.state = SKIP;
  }

  /** Whether the text so far ends between markup, in content or after the root (a worker's range may end there). */
  atRest(): boolean {
    this.readWaiting();
    return (this.state === CONTENT || this.state === EPILOG) && this.carry === '';
  }

  /** Offset of the construct being reported, in characters from the start (or from enterContent()). */
  offset(): number {
    return this.tokenAt;
  }

  /** In SKIP: the next '<' + one of the names, whole (a candidate at the chunk's end is carried). */
  private skip(s: string, i: number, end: number): number {
    let found = -1;
    let unsure = end; // a candidate whose end is in the next chunk
    for (const name of this.skipNames) {
      for (let at = s.indexOf('<' + name, i); at >= 0 && at < end && (found < 0 || at < found); at = s.indexOf('<' + name, at + 1)) {
        const after = at + 1 + name.length;
        if (after >= end) {
          unsure = Math.min(unsure, at);
          break;
        }
        if (!isNameCharAt(s, after)) {
          found = at;
          break;
        }
      }
    }
    if (found >= 0 && found < unsure) {
      this.state = CONTENT;
      return found;
    }
    if (this.final) return end;
    const longest = Math.max(...this.skipNames.map((name) => name.length));
    return this.carryFrom(s, Math.min(unsure, Math.max(i, end - longest)));
  }

  // ── positions and faults ──

  /** 1-based line and column of s[i], i up to s.length. */
  private positionAt(i: number): XmlPosition {
    const s = this.s;
    let line = this.lines + 1;
    let lineStart = this.lineStart;
    for (let nl = s.indexOf('\n'); nl >= 0 && nl < i; nl = s.indexOf('\n', nl + 1)) {
      line++;
      lineStart = this.base + nl + 1;
    }
    return this.placed(line, lineStart, i);
  }

  /** s[i] on `line`, which starts at document offset `lineStart`; a byte order mark given as text is no column. */
  private placed(line: number, lineStart: number, i: number): XmlPosition {
    return { line, column: columnOf(this.s, lineStart - this.base, i) - (line === 1 ? this.bom : 0) };
  }

  /** Where a document offset is: in s, or (before s) `kept` when its chunk went. */
  private positionOf(offset: number, kept = this.tokenPosition): XmlPosition {
    return offset >= this.base ? this.positionAt(offset - this.base) : (kept ?? this.positionAt(0));
  }

  /** A fault at s[i]. */
  private fail(reason: string, i: number): never {
    throw new XmlSyntaxError(reason, this.positionAt(i));
  }

  /** A fault at a document offset: the construct's start (or the attribute's, `kept` with it). */
  private failAt(reason: string, offset: number, kept = this.tokenPosition): never {
    throw new XmlSyntaxError(reason, this.positionOf(offset, kept));
  }

  /** A limit's fault: at s[i], or at the construct being read. */
  private limit(reason: string, i?: number): never {
    throw new XmlSyntaxError(reason, i === undefined ? this.positionOf(this.tokenAt) : this.positionAt(i), 'XML_LIMIT');
  }
}

function indexOrNever(s: string, what: string, from: number): number {
  const at = s.indexOf(what, from);
  return at < 0 ? NEVER : at;
}

/** Digits and, for &#x, hex digits and the 'x' itself; checked exactly when the ';' comes. */
function isReferenceDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) || c === 0x78;
}

/** 1-based column of s[i] on the line that starts at s[lineStart] (maybe in an earlier chunk: negative), in characters. */
function columnOf(s: string, lineStart: number, i: number): number {
  let column = i - lineStart + 1;
  // a character beyond U+FFFF is two UTF-16 units and one column
  for (let k = Math.max(lineStart, 0); k < i; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xdc00 && c <= 0xdfff && k > 0 && s.charCodeAt(k - 1) >= 0xd800 && s.charCodeAt(k - 1) <= 0xdbff) column--;
  }
  return column;
}

/** The character at s[i], for a message. */
function charAt(s: string, i: number): string {
  return String.fromCodePoint(s.codePointAt(i)!);
}
