// The DOCTYPE and its internal subset (XML 1.0 [28]–[32], [45]–[76], [82]–[85]), read once, by the
// grammar: every declaration checked, and what the conversion needs kept — the ATTLIST defaults and
// types (defaults added, non-CDATA values collapsed, as expat and so xmltodict do) and the names of
// the general entities (never expanded: a reference to one is an error naming it). An external
// subset or a parameter entity is never read.

import { setOwn, type Attributes } from '../events.js';
import { isChar, isName, isXmlSpace } from './chars.js';

/** A fault in the DOCTYPE, at `offset` characters from its `<`. */
export class DoctypeFault extends Error {
  constructor(readonly reason: string, readonly offset: number) {
    super(reason);
  }
}

interface AttributeDecl {
  /** CDATA values keep their spaces; every other type is collapsed */
  readonly cdata: boolean;
  /** the normalised default value, if there is one */
  readonly value: string | undefined;
  /** an entity the default refers to, which may be declared only where we never read */
  readonly entity: string | undefined;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** What the internal subset declares that the conversion uses. */
export class Dtd {
  /** general entities declared */
  readonly entities = new Set<string>();
  /** an external subset or a parameter entity: an undeclared entity may be declared there */
  unread = false;
  // element name → its attributes, in declaration order; the first declaration of an attribute wins
  private readonly attlists = new Map<string, Map<string, AttributeDecl>>();

  declareAttribute(element: string, name: string, decl: AttributeDecl): void {
    let decls = this.attlists.get(element);
    if (decls === undefined) this.attlists.set(element, (decls = new Map()));
    if (!decls.has(name)) decls.set(name, decl);
  }

  /** The declarations of this element's attributes, if it has any. */
  attributesOf(element: string): ReadonlyMap<string, AttributeDecl> | undefined {
    return this.attlists.get(element);
  }

  /**
   * `attrs` with the declared defaults that are missing added after them (expat's order); copies only
   * when it adds. Throws the reason when a default refers to an entity it cannot know.
   */
  withDefaults(decls: ReadonlyMap<string, AttributeDecl>, attrs: Attributes): Attributes {
    let result = attrs;
    for (const [name, decl] of decls) {
      if (decl.value === undefined || Object.hasOwn(attrs, name)) continue;
      if (decl.entity !== undefined) throw new Error(undefinedEntity(decl.entity, true));
      if (result === attrs) result = { ...attrs };
      setOwn(result, name, decl.value);
    }
    return result;
  }
}

/** Why a reference to `&name;` is refused: cosax never expands an entity declared in a DTD. */
export function entityReason(name: string, dtd: Dtd | undefined): string {
  if (dtd?.entities.has(name) === true) return `entity &${name}; is declared in the DTD, but entities are never expanded (see SECURITY.md)`;
  return undefinedEntity(name, dtd?.unread === true);
}

function undefinedEntity(name: string, unread: boolean): string {
  return unread ? `undefined entity &${name}; (an external DTD or parameter entity may declare it, but they are never read)` : `undefined entity &${name};`;
}

/** §3.3.3 for a non-CDATA type: no leading or trailing spaces, runs of spaces as one. */
export function collapseSpaces(value: string): string {
  return value.split(' ').filter((word) => word !== '').join(' ');
}

class Incomplete extends Error {}

// A name or a name token in a declaration: up to a character that ends it (checked by the grammar after).
const NAME_LIKE = /[^\s"'()|,>[\]%;=?*+&#<\/]*/y;
// A reference in a literal, or a character a literal gives another meaning: a bare '&' or '%', a tab or line end.
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([^\s&%;#]+));|[&%]|[\t\n\r]/g;
// [13] PubidChar: what a public identifier may hold.
const NOT_PUBID = /[^\x20\r\na-zA-Z0-9\-'()+,./:=?;!*#@$_%]/;

/**
 * Reads a DOCTYPE fed in pieces, from its `<!DOCTYPE`. Resumable: when the text so far ends inside
 * a declaration, the next piece resumes at that declaration (a declaration is short; the whole
 * prolog is bounded by the tokenizer).
 */
export class DoctypeReader {
  readonly dtd = new Dtd();
  private text = ''; // what is still to be read, from the last checkpoint
  private all = ''; // the whole DOCTYPE so far (bounded by the prolog limit), to place a fault
  private base = 0; // offset of text[0] from the DOCTYPE's '<'
  private fed = 0; // characters fed so far
  private at = 0;
  private final = false;
  private state: 'start' | 'subset' | 'end' = 'start';
  // As expat in a document that is not standalone: after a parameter-entity reference (never read),
  // later declarations of attributes are ignored, since the entity could have declared them first.
  private afterPeReference = false;

  /** Reads `piece`; returns how many of its characters complete the DOCTYPE, or -1 when more are needed. */
  feed(piece: string, final: boolean): number {
    const before = this.fed;
    this.fed += piece.length;
    this.text += piece;
    this.all += piece;
    this.final = final;
    this.at = 0;
    try {
      if (this.state === 'start') this.doctype();
      if (this.state === 'subset') this.subsetAndEnd();
      return this.base + this.at - before;
    } catch (error) {
      if (error instanceof Incomplete) return -1;
      throw error;
    }
  }

  /** Line ends before `offset` (from the '<'), and the characters after the last of them. */
  where(offset: number): { lines: number; column: number } {
    let lines = 0;
    let lineStart = 0;
    for (let nl = this.all.indexOf('\n'); nl >= 0 && nl < offset; nl = this.all.indexOf('\n', nl + 1)) {
      lines++;
      lineStart = nl + 1;
    }
    return { lines, column: offset - lineStart };
  }

  /** What is read is never read again: the next piece resumes here. */
  private checkpoint(): void {
    this.text = this.text.slice(this.at);
    this.base += this.at;
    this.at = 0;
  }

  // ── characters ──
  private fail(reason: string, at = this.at): never {
    if (at >= this.text.length && !this.final) throw new Incomplete();
    throw new DoctypeFault(at >= this.text.length ? `${reason} (the document ends in its DOCTYPE)` : reason, this.base + at);
  }
  private need(n: number): void {
    if (this.at + n > this.text.length && !this.final) throw new Incomplete();
  }
  /** Whether `s` comes next; more text is needed only while what has arrived could still be `s`. */
  private looking(s: string): boolean {
    const have = this.text.length - this.at;
    if (have >= s.length) return this.text.startsWith(s, this.at);
    if (!s.startsWith(this.text.slice(this.at))) return false;
    this.need(s.length);
    return false; // final, and too short
  }
  private expect(s: string, what = `"${s}"`): void {
    if (!this.looking(s)) this.fail(`expected ${what}`);
    this.at += s.length;
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
  private requiredSpace(before: string): void {
    if (!this.space()) this.fail(`white space is required ${before}`);
  }
  /** A Name (with `token`, an Nmtoken), complete only when what follows it has arrived. */
  private name(what: string, token = false): string {
    const start = this.at;
    NAME_LIKE.lastIndex = start;
    NAME_LIKE.test(this.text);
    this.at = NAME_LIKE.lastIndex;
    this.need(1);
    const name = this.text.slice(start, this.at);
    if (!(token ? name !== '' && isName('a' + name) : isName(name))) this.fail(`expected ${what}`, start);
    return name;
  }
  /** one of the keywords, or undefined */
  private keyword(...words: string[]): string | undefined {
    for (const word of words) if (this.looking(word)) return (this.at += word.length), word;
    return undefined;
  }
  /** A quoted literal, up to its closing quote; a character `refused` matches may not be in it (`why`). */
  private quoted(what: string, refused?: RegExp, why?: (c: string) => string): string {
    this.need(1);
    const quote = this.text[this.at];
    if (quote !== '"' && quote !== "'") this.fail(`expected a quoted ${what}`);
    const start = this.at + 1;
    const close = this.text.indexOf(quote, start);
    const literal = this.text.slice(start, close < 0 ? this.text.length : close);
    const wrong = refused?.exec(literal);
    if (wrong) this.fail(why!(wrong[0]), start + wrong.index);
    if (close < 0) this.fail(`${what} not closed`, this.text.length);
    this.at = close + 1;
    return literal;
  }

  // ── [28] doctypedecl ──
  private doctype(): void {
    this.expect('<!DOCTYPE');
    this.requiredSpace('after "<!DOCTYPE"');
    this.name('the root element name in the DOCTYPE');
    const spaced = this.space();
    if (spaced && (this.looking('SYSTEM') || this.looking('PUBLIC'))) {
      this.externalId(false);
      this.dtd.unread = true;
      this.space();
    }
    if (this.looking('[')) {
      this.at++;
      this.state = 'subset';
    } else {
      this.expect('>', '">" to end the DOCTYPE');
      this.state = 'end';
    }
  }

  /** [28b] intSubset, from where it was left, and the DOCTYPE's end */
  private subsetAndEnd(): void {
    for (;;) {
      this.checkpoint();
      this.space();
      if (this.looking(']')) break;
      if (this.looking('%')) this.peReference();
      else if (this.looking('<!--')) this.comment();
      else if (this.looking('<?')) this.pi();
      else if (this.looking('<!ELEMENT')) this.elementDecl();
      else if (this.looking('<!ATTLIST')) this.attlistDecl();
      else if (this.looking('<!ENTITY')) this.entityDecl();
      else if (this.looking('<!NOTATION')) this.notationDecl();
      else if (this.looking('<![')) this.fail('conditional sections are allowed only in an external DTD');
      else this.fail(this.at >= this.text.length ? "the DOCTYPE's internal subset is not closed" : 'expected a markup declaration in the DOCTYPE');
    }
    this.at++;
    this.space();
    this.expect('>', '">" to end the DOCTYPE');
    this.state = 'end';
  }

  // [15] Comment and [16] PI, inside the subset
  private comment(): void {
    this.at += 4;
    const end = this.text.indexOf('--', this.at);
    if (end < 0) this.fail('comment not closed', this.text.length);
    this.at = end + 2;
    this.expect('>', '">" after "--" (a comment may not contain "--")');
  }
  private pi(): void {
    const start = this.at;
    this.at += 2;
    const target = this.name('a processing-instruction target after "<?"');
    if (target.toLowerCase() === 'xml') this.fail('the XML declaration must be at the very start of the document', start);
    if (!this.looking('?>')) {
      this.requiredSpace('after a processing-instruction target');
      const end = this.text.indexOf('?>', this.at);
      if (end < 0) this.fail('processing instruction not closed', this.text.length);
      this.at = end;
    }
    this.at += 2;
  }

  private peReference(): void {
    this.dtd.unread = true;
    this.afterPeReference = true;
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
    const element = this.name('an element name');
    for (;;) {
      const spaced = this.space();
      if (this.looking('>')) return void this.at++;
      if (!spaced) this.fail('white space is required before an attribute definition');
      const name = this.name('an attribute name');
      this.requiredSpace('after the attribute name');
      const cdata = this.attType() === 'CDATA';
      this.requiredSpace('before the attribute default');
      const fixed = this.keyword('#REQUIRED', '#IMPLIED', '#FIXED');
      let value: string | undefined;
      let entity: string | undefined;
      if (fixed === undefined || fixed === '#FIXED') {
        if (fixed !== undefined) this.requiredSpace('after #FIXED');
        ({ value, entity } = this.attValue(cdata));
      }
      if (!this.afterPeReference) this.dtd.declareAttribute(element, name, { cdata, value, entity });
    }
  }
  private attType(): string {
    // longest first: IDREFS before IDREF before ID
    const type = this.keyword('CDATA', 'IDREFS', 'IDREF', 'ID', 'ENTITY', 'ENTITIES', 'NMTOKENS', 'NMTOKEN', 'NOTATION');
    if (type === 'ENTITY' && this.looking('IES')) this.at += 3;
    if (type === 'NOTATION') {
      this.requiredSpace('after NOTATION');
      this.expect('(', '"(" after NOTATION');
      this.enumeration(() => void this.name('a notation name'));
    } else if (type === undefined) {
      if (!this.looking('(')) this.fail('expected an attribute type');
      this.at++;
      this.enumeration(() => void this.name('a name token', true));
      return 'ENUMERATION';
    } else if (!this.isSpace(this.at)) {
      this.need(1);
      this.fail('unknown attribute type');
    }
    return type;
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
  /** [10] AttValue as a default: no "<", references well formed, then normalised as a start tag's would be */
  private attValue(cdata: boolean): { value: string; entity: string | undefined } {
    const start = this.at + 1;
    const literal = this.quoted('attribute value', /</, () => '"<" is not allowed in an attribute value');
    let entity: string | undefined;
    const value = this.references(literal, start, false, (name, at) => {
      if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name]!;
      if (this.dtd.entities.has(name) || !this.dtd.unread) this.fail(entityReason(name, this.dtd), start + at);
      entity ??= name; // may be declared where we never read: an error if the default is ever used
      return '';
    });
    return { value: cdata ? value : collapseSpaces(value), entity };
  }

  /**
   * The references of a literal that starts at `start`, checked; the literal with a character reference's
   * character, what `entity` gives for an entity's, and a space for a tab or line end (§3.3.3).
   * `pe`: in an entity value, where '%' would start a parameter-entity reference.
   */
  private references(literal: string, start: number, pe: boolean, entity: (name: string, at: number) => string): string {
    return literal.replace(REFERENCE, (found: string, decimal: string | undefined, hex: string | undefined, name: string | undefined, at: number) => {
      if (found === '%') return pe ? this.fail('a parameter-entity reference is not allowed inside a declaration in the internal subset', start + at) : found;
      if (found === '&' || (name !== undefined && !isName(name))) this.fail('a malformed reference ("&" must start &name; or &#number;)', start + at);
      if (name !== undefined) return entity(name, at);
      if (decimal === undefined && hex === undefined) return ' ';
      const code = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex!, 16);
      if (!isChar(code)) this.fail(`${found} is not a character XML allows`, start + at);
      return String.fromCodePoint(code);
    });
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
      this.references(this.quoted('entity value'), start, true, () => ''); // checked, never expanded
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
    if (!parameter) this.dtd.entities.add(name);
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
      this.quoted('public identifier', NOT_PUBID, (c) => `"${c}" is not allowed in a public identifier`);
      const spaced = this.space();
      if (publicIdAlone && this.looking('>')) return;
      if (!spaced) this.fail('white space and a system literal are required after the public identifier');
    }
    this.quoted('system literal');
  }
}
