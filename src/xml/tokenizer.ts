// ② Our own tokenizer — the course's last step, its cxmlparse: text in, a handler's calls out, XML 1.0
// (5th edition) well-formedness checked as it scans. It jumps with indexOf to the next character that
// matters, makes no string that no one reads (an end tag's name is compared in place), names by a table
// (a cache hands out one string per name), and counts lines only to report a fault.
// Resumable at any character: a chunk may end anywhere; what is carried to the next is a name, an
// attribute value or a few characters of lookahead, never the chunk — nothing is scanned twice.
// Input text has its line ends normalised already (decode.ts); the driver keeps surrogate pairs whole.

import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, NO_ATTRIBUTES, setOwn } from '../events.js';
import { NAME_CHARS, codePointName, forbiddenAt, isChar, isNameCharAt, isNameStartAt, isXmlSpace, nameEnd } from './chars.js';
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
}

export interface TokenizerOptions {
  /** longest attribute value (and name) kept while it is read, in characters */
  maxText: number;
  /** longest prolog (XML declaration, DOCTYPE) @default 1 Mi, or maxText if lower */
  maxProlog?: number;
}

// The states, each with an example of input that ends in it (| is where the tokenizer is).
const PROLOG = 0; //      |<?xml version="1.0"?>  before the root: white space, comments, PIs, one DOCTYPE
const CONTENT = 1; //     <r>text|                inside the root: text, references, markup
const EPILOG = 2; //      </r>|                   after the root: white space, comments, PIs
const LT = 3; //          <|                      the character after '<' says what follows
const NAME = 4; //        <ro|  <r na|  &am|      a name: `named` says what it is, and so what follows it
const IN_TAG = 5; //      <r a="1" |              white space, an attribute, '/>' or '>'
const ATTR_EQ = 6; //     <r name |               white space, then '='
const ATTR_QUOTE = 7; //  <r name= |              white space, then a quote
const ATTR_VALUE = 8; //  <r name="va|            up to the closing quote
const AFTER_VALUE = 9; // <r name="v"|            white space must come before another attribute
const EMPTY_TAG = 10; //  <r/|                    '>' must follow
const END_NAME = 11; //   </r|                    an end tag's name, compared with the open element's
const END_TAG = 12; //    </r |                   white space, then '>'
const REFERENCE = 13; //  &|                      '#' for a character reference, or an entity's name
const CHAR_REFERENCE = 14; // &#x4|               its digits, then ';'
const BANG = 15; //       <!|  <![CDA|            '--', '[CDATA[' or 'DOCTYPE' must follow
const COMMENT = 16; //    <!-- note|              up to '-->' ('--' may not occur inside)
const CDATA = 17; //      <![CDATA[x|             up to ']]>'
const PI_BODY = 18; //    <?target body|          up to '?>'
const DOCTYPE = 19; //    <!DOCTYPE r [ <!EL|     read by the DoctypeReader
const SKIP = 20; //       x</b><c|                skipTo(): looking for the next record's start tag

// What the name read in state NAME is, and so what follows it.
const ELEMENT = 0; //     <ro|
const ATTRIBUTE = 1; //   <r na|
const WRONG_END = 2; //   <a></b|                 an end tag that does not match: read whole for the message
const OUTER_END = 3; //   </b|                    the end tag of an element opened before enterContent()
const TARGET = 4; //      <?targ|                 a processing instruction's target
const ENTITY = 5; //      &am|

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
  private outerEnding = false; // the end tag being read is one of those
  private skipNames: readonly string[] = []; // skipTo(): the names a record's start tag may have

  // the chunk being read: carried lookahead + the new text
  private s = '';
  private base = 0; // offset in the document of s[0]
  private lines = 0; // line ends before s[0]
  private lineStart = 0; // offset in the document of the line s[0] is on
  private carry = ''; // at most a few characters of lookahead, read again with the next chunk
  // next '&' and ']]>' in s at or after the last place they were looked for
  private amp = -1;
  private cdataEnd = -1;

  // the construct being read, carried across chunks
  private tokenAt = 0; // offset in the document where it started (its '<', its '&', its text)
  private tokenPosition: XmlPosition | undefined; // its position, once its chunk is gone
  private partial = ''; // a name, read so far
  private named = ELEMENT; // what the name is
  private tagName = '';
  private attrs: Attributes = NO_ATTRIBUTES;
  private attrName = '';
  private attrAt = 0; // where the attribute's name started
  private attrPosition: XmlPosition | undefined; // its position, once its chunk is gone
  private quote = 0;
  private value = ''; // the attribute value so far, references replaced, when it does not lie in one piece of s
  private referenceIn = CONTENT; // where a reference returns: CONTENT or ATTR_VALUE
  private matched = 0; // characters of the open element's name matched by an end tag
  private piBody = ''; // the XML declaration's body (other PIs are not kept)
  private piIsDeclaration = false;
  private piBare = false; // the target was followed by '?', not white space
  private bom = 0; // 1 when the text began with U+FEFF
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
  private tagSlot = 0;
  private readonly maxText: number;
  private readonly maxProlog: number;

  constructor(private readonly handler: TokenHandler, options: TokenizerOptions) {
    this.maxText = options.maxText;
    this.maxProlog = Math.min(options.maxProlog ?? MAX_PROLOG, options.maxText);
  }

  /** Reads more of the document; the handler is called before this returns. Throws XmlSyntaxError. */
  write(text: string): void {
    const s = this.carry === '' ? text : this.carry + text;
    this.carry = '';
    this.s = s;
    this.amp = -1;
    this.cdataEnd = -1;
    const wall = forbiddenAt(s);
    const end = wall < 0 ? s.length : wall;
    for (let i = 0; i < end; ) i = this.step(s, i, end);
    if (wall >= 0) this.fail(`character ${codePointName(s.codePointAt(wall)!)} is not allowed in XML`, wall);
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
    if (this.state === CONTENT) this.fail(`the document ends inside <${this.stack[this.depth - 1]}>: its end tag is missing`, at);
    if (this.state === ATTR_VALUE) this.failAt(`the value of attribute "${this.attrName}" is never closed: the document ends inside it`, this.attrAt, this.attrPosition);
    this.fail(`the document ends inside ${this.inside()}`, at);
  }

  /** Where the construct being reported began (for a fault a stage finds in it). */
  position(): XmlPosition {
    return this.positionOf(this.tokenAt);
  }

  /** Where the text written so far ends (for a fault in what comes after it: bad bytes). */
  endPosition(): XmlPosition {
    return this.positionAt(this.s.length); // s is what is carried now
  }

  // ── the scanner ──

  /** One state's reading: where it goes on (s.length when it carries the rest). */
  private step(s: string, i: number, end: number): number {
    switch (this.state) {
      case CONTENT: return this.content(s, i, end);
      case PROLOG: case EPILOG: return this.misc(s, i, end);
      case LT: return this.lt(s, i);
      case NAME: return this.name(s, i, end);
      case IN_TAG: return this.inTag(s, i, end);
      case ATTR_EQ: return this.attrEq(s, i, end);
      case ATTR_QUOTE: return this.attrQuote(s, i, end);
      case ATTR_VALUE: return this.attrValue(s, i, end);
      case AFTER_VALUE: return this.afterValue(s, i);
      case EMPTY_TAG: return this.emptyTag(s, i);
      case END_NAME: return this.endName(s, i, end);
      case END_TAG: return this.endTagRest(s, i, end);
      case REFERENCE: return this.reference(s, i);
      case CHAR_REFERENCE: return this.charReference(s, i, end);
      case BANG: return this.bang(s, i, end);
      case COMMENT: return this.comment(s, i, end);
      case CDATA: return this.cdata(s, i, end);
      case PI_BODY: return this.piBodyRest(s, i, end);
      case DOCTYPE: return this.doctypeRest(s, i, end);
      default: return this.skip(s, i, end); // SKIP
    }
  }

  /** Reads s[from…) again with the next chunk: a few characters that may begin what comes next. */
  private carryFrom(s: string, from: number): number {
    this.carry = s.slice(from);
    return s.length;
  }

  /** The chunk is read up to `kept`: count its lines, note where an open construct began, move on. */
  private advance(kept: number): void {
    const s = this.s;
    const open = this.state !== CONTENT && this.state !== PROLOG && this.state !== EPILOG;
    const within = (offset: number) => (offset >= this.base && offset < this.base + kept ? offset - this.base : -1);
    let mark = open ? within(this.tokenAt) : -1;
    const inAttribute = (this.state === NAME && this.named === ATTRIBUTE) || this.state === ATTR_VALUE; // a repeated name, a value not closed
    let attr = inAttribute ? within(this.attrAt) : -1;
    if (!open) this.tokenPosition = undefined;
    const here = (i: number): XmlPosition => ({ line: this.lines + 1, column: columnOf(s, this.lineStart - this.base, i) });
    for (let nl = s.indexOf('\n'); nl >= 0 && nl < kept; nl = s.indexOf('\n', nl + 1)) {
      if (mark >= 0 && mark <= nl) {
        this.tokenPosition = here(mark);
        mark = -1;
      }
      if (attr >= 0 && attr <= nl) {
        this.attrPosition = here(attr);
        attr = -1;
      }
      this.lines++;
      this.lineStart = this.base + nl + 1;
    }
    if (mark >= 0) this.tokenPosition = here(mark);
    if (attr >= 0) this.attrPosition = here(attr);
    this.base += kept;
  }

  /**
   * Text inside the root element, and the tags that lie whole in this chunk without attributes: the
   * usual case, read here without going back to the dispatcher.
   */
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
      if (atReference) {
        this.tokenAt = this.base + stop;
        this.referenceIn = CONTENT;
        this.state = REFERENCE;
        return stop + 1;
      }
      if (stop !== lt) return end;
      this.tokenAt = this.base + lt;
      i = this.tagInPlace(s, lt, end);
      if (this.state !== CONTENT) return i;
    }
  }

  /**
   * At '<' in content: an end tag, or a start tag's name, when they lie whole in s; anything else goes
   * to the dispatcher from LT. Returns where reading goes on.
   */
  private tagInPlace(s: string, lt: number, end: number): number {
    const c = s.charCodeAt(lt + 1);
    if (c === SLASH && this.depth > 0) {
      const open = this.stack[this.depth - 1]!;
      const close = lt + 2 + open.length;
      if (close < end && s.charCodeAt(close) === GREATER && s.startsWith(open, lt + 2)) {
        this.closeElement();
        return close + 1;
      }
    } else if (c < 0x80 && NAME_CHARS[c] === 1) {
      const key = this.previous;
      const guess = key >= 0 ? this.follows[key] : undefined;
      let j = guess === undefined ? -1 : lt + 1 + guess.length;
      if (j >= 0 && j < end && s.startsWith(guess!, lt + 1) && !isNameCharAt(s, j)) {
        this.tagName = guess!;
        this.tagSlot = this.followsSlot[key]!;
      } else {
        j = nameEnd(s, lt + 2, end);
        if (j < 0) {
          this.state = LT;
          return lt + 1;
        }
        this.tagName = this.intern(s, lt + 1, j);
        this.tagSlot = this.slot;
        if (key >= 0) {
          this.follows[key] = this.tagName;
          this.followsSlot[key] = this.slot;
        }
      }
      this.attrs = NO_ATTRIBUTES;
      if (s.charCodeAt(j) === GREATER) {
        this.openElement();
        return j + 1;
      }
      this.state = IN_TAG;
      return j;
    }
    this.state = LT;
    return lt + 1;
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
        this.state = LT;
        return i + 1;
      }
      if (!isXmlSpace(c)) {
        if (c === 0xfeff && this.base + i === 0) {
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

  /** The character after '<'. */
  private lt(s: string, i: number): number {
    const c = s.charCodeAt(i);
    if (c === SLASH) {
      this.matched = 0;
      if (this.depth > 0) this.state = END_NAME;
      else if (this.unknownAbove) return this.readName(OUTER_END, i + 1);
      else this.failAt(this.rootSeen ? 'an end tag after the root element' : 'an end tag before the root element', this.tokenAt);
      return i + 1;
    }
    if (c === BANG_MARK) {
      this.state = BANG;
      return i + 1;
    }
    if (c === QUESTION) return this.readName(TARGET, i + 1);
    // (a character that cannot start a name is reported first, by name())
    if (this.depth === 0 && this.rootSeen && !this.unknownAbove && isNameStartAt(s, i)) this.failAt('a second root element', this.tokenAt);
    return this.readName(ELEMENT, i);
  }

  /** Reads a name from s[i] on, in state NAME: `named` is what it is. */
  private readName(named: number, i: number): number {
    this.named = named;
    this.state = NAME;
    return i;
  }

  /** A name, in as many chunks as it takes; whole, it goes to what it is for. */
  private name(s: string, i: number, end: number): number {
    if (this.partial === '' && !isNameStartAt(s, i)) this.fail(this.notAName(s, i), i);
    const j = nameEnd(s, i, end);
    if (j < 0) return this.keepPartial(s, i, end);
    const name = this.nameOf(s, i, j);
    switch (this.named) {
      case ELEMENT:
        this.tagName = name;
        this.tagSlot = this.slot;
        this.attrs = NO_ATTRIBUTES;
        this.state = IN_TAG;
        return j;
      case ATTRIBUTE:
        if (this.attrs !== NO_ATTRIBUTES && Object.hasOwn(this.attrs, name)) {
          this.failAt(`attribute "${name}" appears twice in a start tag`, this.attrAt, this.attrPosition);
        }
        this.attrName = name;
        this.state = ATTR_EQ;
        return this.attrEq(s, j, end);
      case OUTER_END:
        this.tagName = name;
        this.outerEnding = true;
        this.state = END_TAG;
        return j;
      case WRONG_END: {
        const { line, column } = this.positionOf(this.tokenAt); // the name begins two characters after '<'
        throw new XmlSyntaxError(`the end tag </${name}> does not match <${this.stack[this.depth - 1]}>`, { line, column: column + 2 });
      }
      case TARGET: return this.piTarget(name, s, j);
      default: // ENTITY
        if (s.charCodeAt(j) !== SEMI) this.fail('a reference ends with ";" after its name', j);
        if (!Object.hasOwn(PREDEFINED, name)) this.failAt(entityReason(name, this.dtd), this.tokenAt);
        this.referenced(PREDEFINED[name]!);
        return j + 1;
    }
  }

  /** Why s[i] cannot begin the name that must come here. */
  private notAName(s: string, i: number): string {
    const c = s.charCodeAt(i);
    const char = String.fromCodePoint(s.codePointAt(i)!);
    switch (this.named) {
      case ELEMENT: return isXmlSpace(c) ? 'white space is not allowed after "<"' : `"${char}" cannot start an element name`;
      case ATTRIBUTE: return c === LESS ? '"<" inside a start tag (is a ">" missing?)' : `"${char}" cannot start an attribute name`;
      case TARGET: return 'expected a processing-instruction target after "<?"';
      case ENTITY: return '"&" must start a reference: &name; or &#number; (write & as &amp;)';
      default: return isXmlSpace(c) ? 'white space is not allowed after "</"' : 'expected an element name after "</"'; // an end tag
    }
  }

  /** The name s[start, end), one string per name: repeated names are the same string. Its slot is `this.slot`. */
  private intern(s: string, start: number, end: number): string {
    const length = end - start;
    const slot = (this.slot = (length * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(end - 1)) & (NAME_SLOTS - 1));
    const known = this.names[slot];
    if (known !== undefined && known.length === length && s.startsWith(known, start)) return known;
    const name = s.slice(start, end);
    this.names[slot] = name;
    return name;
  }

  /** A name that ended at j, begun in an earlier chunk or in this one at `start`. */
  private nameOf(s: string, start: number, j: number): string {
    if (this.partial === '') return this.intern(s, start, j);
    const name = this.partial + s.slice(start, j);
    this.partial = '';
    return this.intern(name, 0, name.length);
  }

  /** A name goes on past the chunk: keep what there is (bounded, like an attribute value). */
  private keepPartial(s: string, start: number, end: number): number {
    this.partial += s.slice(start, end);
    if (this.partial.length > this.maxText) this.limit(`a name longer than ${this.maxText} characters (maxText)`);
    return end;
  }

  /** In a start tag, after its name or white space: more white space, an attribute, '/>' or '>'. */
  private inTag(s: string, i: number, end: number): number {
    while (i < end && isXmlSpace(s.charCodeAt(i))) i++;
    if (i === end) return i;
    const c = s.charCodeAt(i);
    if (c === GREATER) {
      this.openElement();
      this.state = CONTENT;
      return i + 1;
    }
    if (c === SLASH) {
      this.state = EMPTY_TAG;
      return i + 1;
    }
    this.attrAt = this.base + i;
    return this.readName(ATTRIBUTE, i);
  }

  private attrEq(s: string, i: number, end: number): number {
    while (i < end && isXmlSpace(s.charCodeAt(i))) i++;
    if (i === end) return i;
    if (s.charCodeAt(i) !== EQUALS) this.fail(`expected "=" after the attribute name "${this.attrName}"`, i);
    this.state = ATTR_QUOTE;
    return this.attrQuote(s, i + 1, end);
  }

  private attrQuote(s: string, i: number, end: number): number {
    while (i < end && isXmlSpace(s.charCodeAt(i))) i++;
    if (i === end) return i;
    const c = s.charCodeAt(i);
    if (c !== QUOT && c !== APOS) this.fail(`the value of attribute "${this.attrName}" must be in quotes`, i);
    this.quote = c;
    this.attrAt = this.base + i; // a value never closed is placed at its quote
    this.value = '';
    this.state = ATTR_VALUE;
    return this.attrValue(s, i + 1, end);
  }

  /** Up to the closing quote: no '<'; references replaced; a literal tab or newline is a space (§3.3.3). */
  private attrValue(s: string, i: number, end: number): number {
    const quote = this.quote;
    let j = i;
    for (; j < end; j++) {
      const c = s.charCodeAt(j);
      if (c === quote) break;
      if (c === LESS) this.fail(`"<" is not allowed in the value of attribute "${this.attrName}" (is its closing quote missing?)`, j);
      if (c === AMP || c === 0x09 || c === 0x0a || c === 0x0d) break;
    }
    if (j === end) {
      this.addToValue(s.slice(i, end));
      return end;
    }
    const c = s.charCodeAt(j);
    if (c === quote) {
      this.attribute(this.value + s.slice(i, j)); // most often '' + the value in one piece: no copy
      this.state = AFTER_VALUE;
      return j + 1 < end ? this.afterValue(s, j + 1) : j + 1;
    }
    this.addToValue(s.slice(i, j));
    if (c === AMP) {
      this.tokenAt = this.base + j;
      this.referenceIn = ATTR_VALUE;
      this.state = REFERENCE;
      return j + 1;
    }
    this.addToValue(' ');
    return j + 1;
  }

  /** Right after an attribute's closing quote: white space must come before another attribute. */
  private afterValue(s: string, i: number): number {
    if (isNameStartAt(s, i)) this.fail('white space is required between attributes', i);
    this.state = IN_TAG;
    return i;
  }

  private addToValue(piece: string): void {
    this.value += piece;
    if (this.value.length > this.maxText) this.limit(`an attribute value longer than ${this.maxText} characters (maxText)`);
  }

  private attribute(value: string): void {
    if (value.length > this.maxText) this.limit(`an attribute value longer than ${this.maxText} characters (maxText)`);
    if (this.attrs === NO_ATTRIBUTES) this.attrs = {};
    setOwn(this.attrs, this.attrName, value);
  }

  /** After '/' in a start tag: '>', and the element opens and closes. */
  private emptyTag(s: string, i: number): number {
    if (s.charCodeAt(i) !== GREATER) this.fail('expected ">" after "/" in a start tag', i);
    this.openElement();
    this.closeElement();
    return i + 1;
  }

  private openElement(): void {
    let attrs = this.attrs;
    const name = this.tagName;
    const decls = this.dtd?.attributesOf(name);
    if (decls !== undefined) attrs = this.declared(decls, attrs);
    this.slots[this.depth] = this.previous = this.tagSlot;
    this.stack[this.depth++] = name;
    this.rootSeen = true;
    this.handler.startTag(name, attrs); // a fault it raises is placed at the tag, maybe in the chunk before
    this.tokenPosition = undefined;
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

  /** An end tag's name, compared in place with the name of the element open last. */
  private endName(s: string, i: number, end: number): number {
    const open = this.stack[this.depth - 1]!;
    let matched = this.matched;
    if (matched === 0 && end - i > open.length && s.startsWith(open, i)) {
      matched = open.length; // the usual case, in one piece
      i += open.length;
    } else {
      while (i < end && matched < open.length && s.charCodeAt(i) === open.charCodeAt(matched)) {
        i++;
        matched++;
      }
    }
    this.matched = matched;
    if (i === end) return i;
    if (matched < open.length || isNameCharAt(s, i)) return this.mismatched(open, matched, i);
    this.state = END_TAG;
    return i;
  }

  /** An end tag that is not the open element's: its whole name is read, for the message. */
  private mismatched(open: string, matched: number, i: number): number {
    this.partial = open.slice(0, matched);
    return this.readName(WRONG_END, i);
  }

  private endTagRest(s: string, i: number, end: number): number {
    while (i < end && isXmlSpace(s.charCodeAt(i))) i++;
    if (i === end) return i;
    if (s.charCodeAt(i) !== GREATER) this.fail(`expected ">" to end the end tag </${this.outerEnding ? this.tagName : this.stack[this.depth - 1]}>`, i);
    if (!this.outerEnding) this.closeElement();
    else {
      this.outerEnding = false;
      this.handler.outerEnd?.(this.tagName);
      this.state = CONTENT;
    }
    this.tokenPosition = undefined;
    return i + 1;
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
    this.carry = this.partial = this.s = '';
    this.base = this.lines = this.lineStart = this.tokenAt = 0;
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
      this.tokenAt = this.base + found;
      this.state = LT;
      return found + 1;
    }
    if (this.final) return end;
    const longest = Math.max(...this.skipNames.map((name) => name.length));
    return this.carryFrom(s, Math.min(unsure, Math.max(i, end - longest)));
  }

  /** After '&': '#' and a character's number, or an entity's name. */
  private reference(s: string, i: number): number {
    if (s.charCodeAt(i) !== HASH) return this.readName(ENTITY, i);
    this.state = CHAR_REFERENCE;
    return i + 1;
  }

  /** After '&#': decimal digits, or 'x' and hex digits, then ';'. */
  private charReference(s: string, i: number, end: number): number {
    let j = i;
    while (j < end && isReferenceDigit(s.charCodeAt(j))) j++;
    if (j === end) return this.keepPartial(s, i, end);
    const digits = this.partial + s.slice(i, j);
    this.partial = '';
    if (s.charCodeAt(j) !== SEMI) {
      if (digits === '') this.fail(s.charCodeAt(j) === 0x58 ? 'the "x" of a hexadecimal character reference is lowercase (&#x41;)' : 'expected digits after "&#"', j);
      this.fail('a character reference ends with ";" after its digits', j);
    }
    const hex = digits.charCodeAt(0) === 0x78; // x
    if (!(hex ? /^x[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) this.failAt(`&#${digits}; is not a character reference (&#123; or &#x7B;)`, this.tokenAt);
    const code = parseInt(hex ? digits.slice(1) : digits, hex ? 16 : 10);
    if (!isChar(code)) this.failAt(`&#${digits}; is not a character XML allows`, this.tokenAt);
    this.referenced(String.fromCodePoint(code));
    return j + 1;
  }

  /** What a reference stands for goes into the text or the attribute value. */
  private referenced(value: string): void {
    if (this.referenceIn === ATTR_VALUE) {
      this.addToValue(value);
      this.state = ATTR_VALUE;
    } else {
      this.handler.text(value, 0, value.length);
      this.state = CONTENT;
    }
  }

  /** After '<!': a comment, a CDATA section (in the root), or the DOCTYPE (before it). */
  private bang(s: string, i: number, end: number): number {
    for (const [word, then] of BANG_WORDS) {
      const have = Math.min(end - i, word.length);
      if (!s.startsWith(word.slice(0, have), i)) continue;
      if (have < word.length) {
        if (this.final) this.fail('the document ends inside markup', end);
        return this.carryFrom(s, i); // the keyword goes on in the next chunk
      }
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

  /** A processing instruction's target, read: the XML declaration is only first, and only in lower case. */
  private piTarget(target: string, s: string, j: number): number {
    const declaration = target === 'xml' && this.tokenAt === this.bom;
    if (!declaration && target.toLowerCase() === 'xml') {
      this.failAt(this.tokenAt === this.bom ? 'malformed XML declaration' : 'the XML declaration must be at the very start of the document', this.tokenAt);
    }
    const c = s.charCodeAt(j);
    if (!isXmlSpace(c) && c !== QUESTION) this.fail('white space is required after a processing-instruction target', j);
    this.piBare = c === QUESTION; // then it must end right here, with '?>'
    this.piIsDeclaration = declaration;
    this.piBody = '';
    this.state = PI_BODY;
    return j;
  }

  /** Up to '?>'. The XML declaration's body is kept, to be checked. */
  private piBodyRest(s: string, i: number, end: number): number {
    const close = s.indexOf('?>', i);
    if (this.piBare) {
      if (end - i < 2 && !this.final) return this.carryFrom(s, i);
      if (close !== i) this.fail('white space is required after a processing-instruction target', i);
      this.piBare = false;
    }
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
    this.prologLength += piece.length;
    if (used < 0) {
      if (this.prologLength > this.maxProlog) this.limit(`the prolog (XML declaration and DOCTYPE) is longer than ${this.maxProlog} characters`);
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

  /** What the document ends inside of, by the state. */
  private inside(): string {
    switch (this.state) {
      case COMMENT: return 'a comment';
      case CDATA: return 'a CDATA section';
      case PI_BODY: return 'a processing instruction';
      case REFERENCE: case CHAR_REFERENCE: return 'a reference';
      case BANG: case LT: return 'markup';
      case END_NAME: case END_TAG: return `the end tag of <${this.outerEnding ? this.tagName : this.stack[this.depth - 1]}>`;
      case NAME: break;
      default: return `the start tag of <${this.tagName}>`;
    }
    switch (this.named) {
      case TARGET: return 'a processing instruction';
      case ENTITY: return 'a reference';
      case ELEMENT: return `the start tag of <${this.partial}>`;
      case ATTRIBUTE: return `the start tag of <${this.tagName}>`;
      default: return this.named === WRONG_END ? `the end tag of <${this.stack[this.depth - 1]}>` : 'an end tag';
    }
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
    return { line, column: columnOf(s, lineStart - this.base, i) };
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

  private limit(reason: string): never {
    throw new XmlSyntaxError(reason, this.positionOf(this.tokenAt), 'XML_LIMIT');
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
