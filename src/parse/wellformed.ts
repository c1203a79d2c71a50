// ② What sax's strict mode does not check, checked beside it (XML 1.0, 5th edition, §2–§4).
// The prolog (XML declaration, DOCTYPE and its internal subset) is checked here in full, on the raw
// text, before sax sees it: sax only skims it. After the prolog, the adapter hands every sax event
// to a `BodyCheck`, which checks names, characters and references; sax checks the tag structure.

import { XmlSyntaxError, type XmlPosition } from '../errors.js';

/** A fault found by these checks; `offset` (into the prolog) when the adapter cannot know the place. */
export class NotWellFormed extends Error {
  constructor(readonly reason: string, readonly offset?: number) {
    super(reason);
  }
}

// §2.2 Char. Surrogates pass: our decoders never make a lone one, and a text may be cut between a pair.
const NOT_CHAR = /[^\t\n\r\x20-\uFFFD]/;
// §2.3 NameStartChar and NameChar.
const NAME_START = 'A-Z_a-z:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';
const NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
const NAME_AT = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const NMTOKEN_AT = new RegExp(`[${NAME_CHAR}]+`, 'uy');
const NAME_START_AT = new RegExp(`[${NAME_START}]`, 'uy');

// Name characters below U+0080: 1 may start a name, 2 may only follow (NameStartChar, NameChar).
const ASCII_NAME = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:') ASCII_NAME[c.charCodeAt(0)] = 1;
for (const c of '-.0123456789') ASCII_NAME[c.charCodeAt(0)] = 2;

// Nearly every name is ASCII: a loop over a table answers; a name with other characters goes to the regex.
export const isName = (name: string): boolean => {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return NAME.test(name);
    const kind = ASCII_NAME[c]!;
    if (kind === 0 || (kind === 2 && i === 0)) return false;
  }
  return name.length > 0;
};

/** §2.3 S: the four characters XML counts as white space (space, tab, LF, CR), by char code. */
export const isXmlSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** The first character that XML forbids, described, or undefined. */
export function badChar(text: string): string | undefined {
  const found = NOT_CHAR.exec(text);
  if (found === null) return undefined;
  return `character U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The result of checking a complete prolog. */
export interface Prolog {
  /** where the root element's `<` is */
  end: number;
  /** [start, end) of what sax should see as spaces: the XML declaration, comments and PIs (sax loses its place in a PI in the DOCTYPE) */
  blanks: ReadonlyArray<readonly [number, number]>;
  /** general entities declared in the internal subset */
  entities: ReadonlySet<string>;
  /** whether the DTD has parts that are never read (an external subset, parameter entities) */
  unread: boolean;
}

class Incomplete extends Error {}

// A recursive-descent reader of XML 1.0's productions [1]–[32], [45]–[76], [82]–[85]. Resumable:
// when the text so far ends inside a construct, the next read starts again at that construct.
export class PrologReader {
  private text = '';
  private final = false;
  private at = 0;
  private readonly blanks: Array<[number, number]> = [];
  private readonly entities = new Set<string>();
  /** after a parameter-entity reference or an external subset, undeclared entities may be declared there */
  private unread = false;
  private started = false; // the XML declaration, if any, is read
  private doctypeSeen = false;
  private inSubset = false;
  private resumeBlanks = 0;
  private base = 0; // offset in the document of text[0]: text holds only what is still to be read
  private length = 0; // characters of the document so far
  private bad: number | undefined; // where the first character XML forbids is

  /**
   * Reads `text`, the beginning of a document (longer at each call), as far as the root element's
   * start tag. Returns undefined when the prolog is not complete yet and `final` is false.
   */
  read(chunk: string, final: boolean): Prolog | undefined {
    if (this.bad === undefined) {
      const found = NOT_CHAR.exec(chunk);
      if (found !== null) this.bad = this.length + found.index;
    }
    this.length += chunk.length;
    this.text += chunk;
    this.final = final;
    this.at = 0;
    this.blanks.length = this.resumeBlanks;
    try {
      return this.resume();
    } catch (error) {
      if (error instanceof Incomplete) return undefined;
      throw error;
    }
  }

  /** What is read is never read again: the next read starts here. */
  private checkpoint(): void {
    if (this.at > 0) {
      this.text = this.text.slice(this.at);
      this.base += this.at;
      this.at = 0;
    }
    this.resumeBlanks = this.blanks.length;
  }

  private resume(): Prolog {
    if (!this.started) {
      if (this.text.charCodeAt(0) === 0xfeff) this.at = 1;
      this.need(6);
      if (this.text.startsWith('<?xml', this.at) && this.isSpaceOrEnd(this.at + 5)) {
        this.xmlDecl();
        this.blanks.push([0, this.at]); // checked here; sax would take it for a misplaced one (base is 0)
      }
      this.started = true;
      this.checkpoint();
    }
    if (this.inSubset) this.doctypeEnd();
    for (;;) {
      if (this.bad !== undefined && this.base + this.at >= this.bad) throw new NotWellFormed(badChar(this.text[this.bad - this.base] ?? '\0')!, this.bad);
      this.checkpoint();
      this.space();
      if (this.at >= this.text.length) {
        if (this.final) return this.done(); // no root: sax says so
        throw new Incomplete();
      }
      if (this.text[this.at] === '<' && this.peekNameStart(this.at + 1)) return this.done();
      if (this.looking('<!--')) this.comment();
      else if (this.looking('<?')) this.pi();
      else if (this.looking('<!DOCTYPE')) {
        if (this.doctypeSeen) this.fail('a second DOCTYPE');
        this.doctype();
      } else if (this.looking('<!')) this.fail('markup other than a comment or DOCTYPE before the root element');
      else this.fail(this.looking('<') ? 'a name must follow "<"' : 'text before the root element');
    }
  }

  private done(): Prolog {
    return { end: this.base + this.at, blanks: this.blanks, entities: this.entities, unread: this.unread };
  }

  // ── characters ──
  private fail(reason: string, at = this.at): never {
    if (at >= this.text.length && !this.final) throw new Incomplete();
    throw new NotWellFormed(at >= this.text.length ? `${reason} (the document ends in its prolog)` : reason, this.base + at);
  }
  private need(n: number): void {
    if (this.at + n > this.text.length && !this.final) throw new Incomplete();
  }
  private looking(s: string): boolean {
    this.need(s.length);
    return this.text.startsWith(s, this.at);
  }
  private expect(s: string, what = `"${s}"`): void {
    if (!this.looking(s)) this.fail(`expected ${what}`);
    this.at += s.length;
  }
  private isSpaceOrEnd(i: number): boolean {
    return i >= this.text.length || this.isSpace(i);
  }
  private isSpace(i: number): boolean {
    return isXmlSpace(this.text.charCodeAt(i));
  }
  /** S?; true if there was some */
  private space(): boolean {
    const start = this.at;
    while (this.isSpace(this.at)) this.at++;
    this.need(1);
    return this.at > start;
  }
  /** S, required */
  private requiredSpace(before: string): void {
    if (!this.space()) this.fail(`white space is required ${before}`);
  }
  private peekNameStart(i: number): boolean {
    if (i >= this.text.length && !this.final) throw new Incomplete();
    NAME_START_AT.lastIndex = i;
    return NAME_START_AT.test(this.text);
  }
  private name(what: string): string {
    NAME_AT.lastIndex = this.at;
    const found = NAME_AT.exec(this.text);
    if (found === null) this.fail(`expected ${what}`);
    this.at += found[0].length;
    this.need(1); // a name is complete only when what follows it has arrived
    return found[0];
  }
  private nmtoken(): void {
    NMTOKEN_AT.lastIndex = this.at;
    const found = NMTOKEN_AT.exec(this.text);
    if (found === null) this.fail('expected a name token');
    this.at += found[0].length;
    this.need(1);
  }
  /** one of the keywords, or undefined */
  private keyword(...words: string[]): string | undefined {
    for (const word of words) if (this.looking(word)) return (this.at += word.length), word;
    return undefined;
  }
  private quoted(what: string, allowed: (c: string) => string | undefined): string {
    const quote = this.text[this.at];
    this.need(1);
    if (quote !== '"' && quote !== "'") this.fail(`expected a quoted ${what}`);
    const start = ++this.at;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) this.fail(`${what} not closed`);
      if (c === quote) break;
      const wrong = allowed(c);
      if (wrong !== undefined) this.fail(wrong);
      this.at++;
    }
    return this.text.slice(start, this.at++);
  }

  // ── [23] XMLDecl ──
  private xmlDecl(): void {
    this.at += 5;
    const pseudo = (name: string): string | undefined => {
      const save = this.at;
      if (!this.space() || !this.looking(name)) return (this.at = save), undefined;
      this.at += name.length;
      this.space();
      this.expect('=');
      this.space();
      return this.quoted(name, () => undefined);
    };
    const version = pseudo('version');
    if (version === undefined) this.fail('the XML declaration must start with version="1.x"');
    if (!/^1\.[0-9]+$/.test(version)) this.fail(`version "${version}" is not 1.x`);
    const encoding = pseudo('encoding');
    if (encoding !== undefined && !/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) this.fail(`encoding name "${encoding}" is malformed`);
    const standalone = pseudo('standalone');
    if (standalone !== undefined && standalone !== 'yes' && standalone !== 'no') this.fail('standalone must be "yes" or "no"');
    this.space();
    this.expect('?>', '"?>" to end the XML declaration');
  }

  // ── [15] Comment, [16] PI ──
  private comment(): void {
    const start = this.at;
    this.at += 4;
    const end = this.text.indexOf('--', this.at);
    if (end < 0) this.fail('comment not closed', this.text.length);
    this.at = end + 2;
    this.expect('>', '">" after "--" (a comment may not contain "--")');
    this.blanks.push([this.base + start, this.base + this.at]);
  }
  private pi(): void {
    const start = this.at;
    this.at += 2;
    const target = this.name('a processing-instruction target after "<?"');
    if (target.toLowerCase() === 'xml') this.fail(start === 0 ? 'malformed XML declaration' : 'the XML declaration must be at the very start of the document', start);
    if (!this.looking('?>')) {
      this.requiredSpace('after a processing-instruction target');
      const end = this.text.indexOf('?>', this.at);
      if (end < 0) this.fail('processing instruction not closed', this.text.length);
      this.at = end;
    }
    this.at += 2;
    this.blanks.push([this.base + start, this.base + this.at]);
  }

  // ── [28] doctypedecl ──
  private doctype(): void {
    this.at += 9;
    this.requiredSpace('after "<!DOCTYPE"');
    this.name('the root element name in the DOCTYPE');
    const spaced = this.space();
    if (spaced && (this.looking('SYSTEM') || this.looking('PUBLIC'))) {
      this.externalId(false);
      this.unread = true;
      this.space();
    }
    if (this.looking('[')) {
      this.at++;
      this.inSubset = true;
      this.doctypeEnd();
    } else {
      this.expect('>', '">" to end the DOCTYPE');
      this.doctypeSeen = true;
    }
  }

  /** the internal subset, from where it was left, and the DOCTYPE's end */
  private doctypeEnd(): void {
    this.internalSubset();
    this.space();
    this.expect('>', '">" to end the DOCTYPE');
    this.inSubset = false;
    this.doctypeSeen = true;
  }

  private internalSubset(): void {
    for (;;) {
      this.checkpoint();
      this.space();
      if (this.looking(']')) return void this.at++;
      if (this.looking('%')) this.peReference();
      else if (this.looking('<!--')) this.comment();
      else if (this.looking('<?')) this.pi();
      else if (this.looking('<!ELEMENT')) this.elementDecl();
      else if (this.looking('<!ATTLIST')) this.attlistDecl();
      else if (this.looking('<!ENTITY')) this.entityDecl();
      else if (this.looking('<!NOTATION')) this.notationDecl();
      else if (this.looking('<![')) this.fail('conditional sections are allowed only in an external DTD');
      else this.fail(this.at >= this.text.length ? 'the DOCTYPE\'s internal subset is not closed' : 'expected a markup declaration in the DOCTYPE');
    }
  }

  private peReference(): void {
    this.unread = true;
    this.at++;
    this.name('a parameter-entity name after "%"');
    this.expect(';', '";" after a parameter-entity name');
  }

  private endDecl(what: string): void {
    this.space();
    this.expect('>', `">" to end the ${what} declaration`);
  }

  // [45] elementdecl, [46]–[51]
  private elementDecl(): void {
    this.at += 9;
    this.requiredSpace('after "<!ELEMENT"');
    this.name('an element name');
    this.requiredSpace('before the content model');
    if (this.keyword('EMPTY', 'ANY') === undefined) {
      if (!this.looking('(')) this.fail('expected EMPTY, ANY or a content model in parentheses');
      this.at++;
      this.space();
      if (this.looking('#PCDATA')) this.mixed();
      else this.group();
    }
    this.endDecl('ELEMENT');
  }
  private mixed(): void {
    this.at += 7;
    this.space();
    let names = 0;
    while (this.looking('|')) {
      this.at++;
      this.space();
      this.name('an element name in a mixed content model');
      this.space();
      names++;
    }
    this.expect(')', '")" to close the mixed content model');
    if (this.looking('*')) this.at++;
    else if (names > 0) this.fail('a mixed content model with element names must end in ")*"');
  }
  /** after "(": cp ((S? "|" S? cp)+ | (S? "," S? cp)*) S? ")" occurrence? */
  private group(): void {
    let separator: string | undefined;
    for (;;) {
      this.cp();
      this.space();
      if (this.looking(')')) break;
      const next = this.text[this.at];
      if (next !== '|' && next !== ',') this.fail('expected "|", "," or ")" in a content model');
      if (separator !== undefined && next !== separator) this.fail('a content model group may not mix "|" and ","');
      separator = next;
      this.at++;
      this.space();
    }
    this.at++;
    this.occurrence();
  }
  private cp(): void {
    if (this.looking('(')) {
      this.at++;
      this.space();
      this.group();
    } else {
      this.name('an element name or "(" in a content model');
      this.occurrence();
    }
  }
  private occurrence(): void {
    this.need(1);
    const c = this.text[this.at];
    if (c === '?' || c === '*' || c === '+') this.at++;
  }

  // [52] AttlistDecl, [53]–[60]
  private attlistDecl(): void {
    this.at += 9;
    this.requiredSpace('after "<!ATTLIST"');
    this.name('an element name');
    for (;;) {
      const spaced = this.space();
      if (this.looking('>')) return void this.at++;
      if (!spaced) this.fail('white space is required before an attribute definition');
      this.name('an attribute name');
      this.requiredSpace('after the attribute name');
      this.attType();
      this.requiredSpace('before the attribute default');
      const fixed = this.keyword('#REQUIRED', '#IMPLIED', '#FIXED');
      if (fixed === undefined || fixed === '#FIXED') {
        if (fixed !== undefined) this.requiredSpace('after #FIXED');
        this.attValue();
      }
    }
  }
  private attType(): void {
    // longest first: IDREFS before IDREF before ID
    const type = this.keyword('CDATA', 'IDREFS', 'IDREF', 'ID', 'ENTITY', 'ENTITIES', 'NMTOKENS', 'NMTOKEN', 'NOTATION');
    if (type === 'ENTITY' && this.looking('IES')) this.at += 3;
    if (type === 'NOTATION') {
      this.requiredSpace('after NOTATION');
      this.expect('(', '"(" after NOTATION');
      this.enumeration(() => this.name('a notation name'));
    } else if (type === undefined) {
      if (!this.looking('(')) this.fail('expected an attribute type');
      this.at++;
      this.enumeration(() => this.nmtoken());
    } else if (!this.isSpace(this.at)) {
      this.need(1);
      this.fail('unknown attribute type');
    }
  }
  private enumeration(item: () => void): void {
    for (;;) {
      this.space();
      item();
      this.space();
      if (this.looking(')')) return void this.at++;
      this.expect('|', '"|" or ")" in an enumeration');
    }
  }
  /** [10] AttValue: no "<", references well formed */
  private attValue(): void {
    const start = this.at + 1;
    const value = this.quoted('attribute value', (c) => (c === '<' ? '"<" is not allowed in an attribute value' : undefined));
    this.references(value, start, false);
    // a default value is put into elements as it is: an entity in it would have to be expanded
    for (const [, name] of value.matchAll(/&([^#;][^;]*);/g)) {
      if (Object.hasOwn(PREDEFINED, name!)) continue;
      if (this.entities.has(name!)) this.fail(`entity &${name}; is declared in the DTD, but entities are never expanded (see SECURITY.md)`, start);
      if (!this.unread) this.fail(`undefined entity &${name};`, start);
    }
  }
  /** checks & and % references in a literal; `pe`: parameter-entity references are allowed too */
  private references(value: string, start: number, pe: boolean): void {
    const reference = /[&%]/g;
    for (let found = reference.exec(value); found !== null; found = reference.exec(value)) {
      const i = found.index;
      if (found[0] === '%' && !pe) continue;
      if (found[0] === '%') this.fail('a parameter-entity reference is not allowed inside a declaration in the internal subset', start + i);
      const m = /^&(?:#[0-9]+|#x[0-9a-fA-F]+|[^\s&%;#]+);/.exec(value.slice(i));
      if (m === null || (!m[0].startsWith('&#') && !isName(m[0].slice(1, -1)))) this.fail('a malformed reference ("&" must start &name; or &#number;)', start + i);
      if (m[0].startsWith('&#')) {
        const code = m[0][2] === 'x' ? parseInt(m[0].slice(3, -1), 16) : parseInt(m[0].slice(2, -1), 10);
        if (code > 0x10ffff || badChar(String.fromCodePoint(code)) !== undefined || (code >= 0xd800 && code <= 0xdfff)) this.fail(`${m[0]} is not a character XML allows`, start + i);
      }
      reference.lastIndex = i + m[0].length;
    }
  }

  // [70] EntityDecl, [71]–[76]
  private entityDecl(): void {
    this.at += 8;
    this.requiredSpace('after "<!ENTITY"');
    const parameter = this.looking('%');
    if (parameter) {
      this.at++;
      this.requiredSpace('after "%" in a parameter-entity declaration');
    }
    const name = this.name('an entity name');
    this.requiredSpace('after the entity name');
    if (this.looking('"') || this.looking("'")) {
      const start = this.at + 1;
      const value = this.quoted('entity value', () => undefined);
      this.references(value, start, true);
    } else {
      this.externalId(false);
      const spaced = this.space();
      if (!parameter && this.looking('NDATA')) {
        if (!spaced) this.fail('white space is required before NDATA');
        this.at += 5;
        this.requiredSpace('after NDATA');
        this.name('a notation name after NDATA');
      }
    }
    if (!parameter) this.entities.add(name);
    this.endDecl('ENTITY');
  }

  // [82] NotationDecl
  private notationDecl(): void {
    this.at += 10;
    this.requiredSpace('after "<!NOTATION"');
    this.name('a notation name');
    this.requiredSpace('after the notation name');
    this.externalId(true);
    this.endDecl('NOTATION');
  }

  // [75] ExternalID, [83] PublicID, [11] SystemLiteral, [12] PubidLiteral
  private externalId(publicIdAlone: boolean): void {
    const kind = this.keyword('SYSTEM', 'PUBLIC');
    if (kind === undefined) this.fail('expected SYSTEM or PUBLIC, or a quoted value');
    this.requiredSpace(`after ${kind}`);
    if (kind === 'PUBLIC') {
      this.quoted('public identifier', (c) => (/^[\x20\r\na-zA-Z0-9\-'()+,./:=?;!*#@$_%]$/.test(c) ? undefined : `"${c}" is not allowed in a public identifier`));
      const spaced = this.space();
      if (publicIdAlone && this.looking('>')) return;
      if (!spaced) this.fail('white space and a system literal are required after the public identifier');
    }
    this.quoted('system literal', () => undefined);
  }
}

/**
 * Checks of the document body, called by the adapter for each sax event. Also answers sax's entity
 * lookups (`parser.ENTITIES`), which is where it sees each reference's raw name.
 */
export class BodyCheck {
  private screening = false; // the adapter screens every chunk before sax reads it (screen())
  private suspect = false; // a screened chunk held a character XML forbids: check each event from then on
  private declared: ReadonlySet<string> = new Set();
  private unread = false;
  private depth = 0;
  private rootDone = false;
  /** characters that references put into the current attribute value or text node */
  private fromReferences = '';

  /**
   * Each piece of text as sax is given it: one scan of the chunk for a forbidden character, so that a
   * clean chunk spares the same scan of every text, attribute and comment in it (an event that began in
   * an earlier chunk is covered too: a forbidden character there made us suspect from that chunk on).
   */
  screen(text: string): void {
    this.screening = true;
    if (!this.suspect && NOT_CHAR.test(text)) this.suspect = true;
  }

  /** badChar(), unless every chunk sax has read so far was screened clean. */
  private badChar(text: string): string | undefined {
    return this.screening && !this.suspect ? undefined : badChar(text);
  }

  /** The prolog's general entities: a reference to one is an error naming it. */
  declare(entities: ReadonlySet<string>, unread: boolean): void {
    this.declared = entities;
    this.unread = unread;
  }

  /** sax's ENTITIES table, as a proxy: every reference's name passes through `get`. */
  entityTable(): Record<string, string> {
    return new Proxy(Object.create(null) as Record<string, string>, {
      get: (_table, name) => {
        if (typeof name !== 'string') return undefined;
        const value = this.reference(name);
        this.fromReferences += value;
        return value;
      },
      has: () => true,
    });
  }

  /** What a reference to `name` (without & and ;) stands for; throws NotWellFormed naming what is wrong. */
  reference(name: string): string {
    if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name]!;
    if (name.startsWith('#')) {
      const m = /^#(?:([0-9]+)|x([0-9a-fA-F]+))$/.exec(name);
      if (m === null) throw new NotWellFormed(`&${name}; is not a character reference (&#123; or &#x7B;)`);
      const code = m[1] !== undefined ? parseInt(m[1], 10) : parseInt(m[2]!, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || badChar(String.fromCodePoint(code)) !== undefined) throw new NotWellFormed(`&${name}; is not a character XML allows`);
      return String.fromCodePoint(code);
    }
    if (this.declared.has(name)) throw new NotWellFormed(`entity &${name}; is declared in the DTD, but entities are never expanded (see SECURITY.md)`);
    if (this.unread) throw new NotWellFormed(`undefined entity &${name}; (an external DTD or parameter entity may declare it, but they are never read)`);
    throw new NotWellFormed(`undefined entity &${name};`);
  }

  startTag(name: string): void {
    if (!isName(name)) throw new NotWellFormed(`<${name}> is not a valid element name`);
    this.depth++;
    this.fromReferences = '';
  }

  attribute(name: string, value: string): void {
    if (!isName(name)) throw new NotWellFormed(`"${name}" is not a valid attribute name`);
    const why = this.badChar(value);
    if (why !== undefined) throw new NotWellFormed(why);
    // a "<" written as such (not as &lt;) is not allowed in an attribute value
    if (count(value, '<') > count(this.fromReferences, '<')) throw new NotWellFormed(`"<" is not allowed in the value of attribute "${name}"`);
    this.fromReferences = '';
  }

  endTag(): void {
    if (--this.depth === 0) this.rootDone = true;
    this.fromReferences = '';
  }

  text(text: string): void {
    const why = this.badChar(text);
    if (why !== undefined) throw new NotWellFormed(why);
    // "]]>" is not allowed in text, unless its ">" was written &gt;
    if (text.includes(']]>') && !this.fromReferences.includes('>')) throw new NotWellFormed('"]]>" is not allowed in text');
    this.fromReferences = '';
  }

  /** `<![CDATA[` as sax read it: sax also takes `<![cdata[` */
  cdataStart(opening: string): void {
    if (opening !== '[CDATA') throw new NotWellFormed(`"<!${opening}[" is not "<![CDATA["`);
    this.cdata('');
  }

  cdata(text: string): void {
    if (this.depth === 0) throw new NotWellFormed('a CDATA section outside the root element');
    const why = this.badChar(text);
    if (why !== undefined) throw new NotWellFormed(why);
  }

  comment(text: string): void {
    const why = this.badChar(text);
    if (why !== undefined) throw new NotWellFormed(why);
  }

  processingInstruction(target: string, body: string): void {
    if (target.toLowerCase() === 'xml') throw new NotWellFormed('the XML declaration must be at the very start of the document');
    if (!isName(target)) throw new NotWellFormed(`"${target}" is not a valid processing-instruction target`);
    const why = this.badChar(body);
    if (why !== undefined) throw new NotWellFormed(why);
  }

  /** `<!…>` outside the DOCTYPE */
  declaration(): void {
    throw new NotWellFormed(this.rootDone || this.depth > 0 ? 'a markup declaration outside the DOCTYPE' : 'malformed markup declaration');
  }
}

function count(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/**
 * sax keeps a start tag's attributes in a plain object and asks `attributes.hasOwnProperty(name)`
 * before each one: a repeat it silently drops, and an attribute named `hasOwnProperty` breaks the
 * question for the next one. `attributes` answers the question itself and throws on a repeat; what
 * sax stores in it is dropped (the adapter collects attributes from `onattribute`). One per parser.
 */
export class AttributeWatch {
  private readonly seen = new Set<string>();
  readonly attributes: Record<string, string>;

  constructor() {
    const hasOwnProperty = (name: string): boolean => {
      if (this.seen.has(name)) throw new NotWellFormed(`attribute "${name}" appears twice in a start tag`);
      this.seen.add(name);
      return false;
    };
    this.attributes = new Proxy(Object.create(null) as Record<string, string>, {
      get: (_attributes, key) => (key === 'hasOwnProperty' ? hasOwnProperty : undefined),
      set: () => true,
    });
  }

  /** A new start tag: no attribute seen yet. */
  startTag(): Record<string, string> {
    if (this.seen.size > 0) this.seen.clear();
    return this.attributes;
  }
}

/**
 * Holds the text of the document until its prolog is complete, checks the prolog, then lets
 * everything through: what to give sax now, or '' while the prolog is still arriving.
 */
export class PrologGate {
  private held = '';
  private passed = false;
  private readonly reader = new PrologReader();

  constructor(private readonly body: BodyCheck, private readonly maxHeld: number) {}

  write(text: string, final: boolean): string {
    if (this.passed) return text;
    this.held += text; // joined only once, below: the reader keeps what it has not read yet
    const prolog = this.reader.read(text, final);
    if (prolog === undefined) {
      if (this.held.length > this.maxHeld) throw new PrologTooLong(this.maxHeld);
      return '';
    }
    this.passed = true;
    this.body.declare(prolog.entities, prolog.unread);
    let out = '';
    let from = 0;
    for (const [start, end] of prolog.blanks) {
      out += this.held.slice(from, start) + this.held.slice(start, end).replace(/[^\n\r]/g, ' ');
      from = end;
    }
    out += this.held.slice(from);
    this.held = '';
    return out;
  }

  /** the text held so far, while the prolog is incomplete */
  get holding(): number | undefined {
    return this.passed ? undefined : this.held.length;
  }

  /** 1-based line and column of the character at `offset` in the held prolog (sax's count: characters read on the line) */
  position(offset: number, read = offset + 1): { line: number; column: number } {
    const before = this.held.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: read - lineStart };
  }
}

/** Most characters the prolog may have: 1 Mi, or --max-text if lower (sax itself takes no DOCTYPE over 64 Ki). */
export const MAX_PROLOG = 1024 * 1024;

/** The prolog is longer than its limit (a DOCTYPE that never ends, say). */
export class PrologTooLong extends Error {
  constructor(readonly limit: number) {
    super(`the prolog (XML declaration and DOCTYPE) is longer than ${limit} characters`);
  }
}

/**
 * Runs a step of an adapter (a write, the end) so that a fault these checks raise comes out as an
 * XmlSyntaxError placed where it is: in the prolog by its offset, else where the parser is now.
 */
export function placingFaults(prolog: PrologGate, position: () => XmlPosition): (step: () => void) => void {
  return (step) => {
    try {
      step();
    } catch (error) {
      if (error instanceof PrologTooLong) throw new XmlSyntaxError(error.message, position(), 'XML_LIMIT');
      if (!(error instanceof NotWellFormed)) throw error;
      throw new XmlSyntaxError(error.reason, error.offset === undefined ? position() : prolog.position(error.offset));
    }
  };
}
