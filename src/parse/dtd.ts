// The internal DTD subset, honoured as expat (and so xmltodict) honours it: declared default
// attribute values are added, non-CDATA attribute values are white-space-collapsed, and the
// general entities declared are remembered — never expanded — so that a reference can be named.
// Only the internal subset is read: an external DTD is never fetched.

import type { Attributes } from '../events.js';
import { setOwn } from '../events.js';

interface AttributeDecl {
  readonly name: string;
  /** CDATA values keep their spaces; every other type is collapsed */
  readonly cdata: boolean;
  /** the normalised default value, if there is one */
  readonly value: string | undefined;
  /** a DTD-declared entity that the default refers to: applying it is an error */
  readonly entity: string | undefined;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class Dtd {
  /** general entities declared in the internal subset */
  readonly entities = new Set<string>();
  // element name → its attributes, in declaration order; the first declaration of an attribute wins
  private readonly attlists = new Map<string, Map<string, AttributeDecl>>();

  /** Is this attribute of this element declared with a type other than CDATA? */
  collapses(element: string, attribute: string): boolean {
    const decl = this.attlists.get(element)?.get(attribute);
    return decl !== undefined && !decl.cdata;
  }

  /** Adds the declared defaults missing from `attrs`, after the given ones (expat's order). */
  withDefaults(element: string, attrs: Attributes, fault: (reason: string) => Error): Attributes {
    const decls = this.attlists.get(element);
    if (decls === undefined) return attrs;
    let result = attrs;
    for (const decl of decls.values()) {
      if (decl.value === undefined || Object.hasOwn(attrs, decl.name)) continue;
      if (decl.entity !== undefined) throw fault(entityReason(decl.entity, this.entities.has(decl.entity)));
      if (result === attrs) result = { ...attrs };
      setOwn(result, decl.name, decl.value);
    }
    return result;
  }

  declareAttribute(element: string, decl: AttributeDecl): void {
    let decls = this.attlists.get(element);
    if (decls === undefined) this.attlists.set(element, (decls = new Map()));
    if (!decls.has(decl.name)) decls.set(decl.name, decl);
  }
}

/** Why a reference to entity `name` is an error (cosax never expands entities). */
export function entityReason(name: string, declared: boolean): string {
  return declared
    ? `reference to the entity &${name}; declared in the DTD: cosax does not expand entities`
    : `undefined entity &${name};`;
}

/**
 * Attribute-value normalisation (XML 1.0 §3.3.3): literal tab and newline become a space (a
 * character reference keeps its character: `charRefs` are the offsets where references put one);
 * a non-CDATA value then loses leading and trailing spaces and runs of spaces collapse to one.
 */
export function normalizeAttribute(value: string, charRefs: readonly number[], collapse: boolean): string {
  let out = '';
  let from = 0;
  let ref = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 0x09 && c !== 0x0a && c !== 0x0d) continue;
    while (ref < charRefs.length && charRefs[ref]! < i) ref++;
    if (charRefs[ref] === i) continue;
    out += value.slice(from, i) + ' ';
    from = i + 1;
  }
  out = from === 0 ? value : out + value.slice(from);
  return collapse ? out.split(' ').filter((word) => word !== '').join(' ') : out;
}

const NAME = /[^\s"'()|,>[\]%]+/y;

/** Reads the declarations of a DOCTYPE's internal subset; sax hands us the text after `<!DOCTYPE`. */
export function parseDoctype(doctype: string): Dtd | undefined {
  const open = subsetStart(doctype);
  if (open < 0) return undefined;
  const dtd = new Dtd();
  const s = doctype.slice(open + 1);
  let i = 0;
  // As expat (not reading parameter entities): after a reference to one, later attribute
  // declarations are ignored, since the entity could have declared them first.
  let afterPeReference = false;
  const space = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const name = (): string => {
    space();
    NAME.lastIndex = i;
    const m = NAME.exec(s);
    if (m === null) return '';
    i = NAME.lastIndex;
    return m[0];
  };
  const quoted = (): string | undefined => {
    space();
    const q = s[i];
    if (q !== '"' && q !== "'") return undefined;
    const end = s.indexOf(q, i + 1);
    const text = s.slice(i + 1, end < 0 ? s.length : end);
    i = end < 0 ? s.length : end + 1;
    return text;
  };
  const skipDecl = () => {
    // to the closing '>', stepping over quoted strings (which may hold '>')
    while (i < s.length && s[i] !== '>') {
      if (s[i] === '"' || s[i] === "'") quoted();
      else i++;
    }
    i++;
  };
  while (i < s.length) {
    space();
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      i = end < 0 ? s.length : end + 3;
    } else if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      i = end < 0 ? s.length : end + 2;
    } else if (s.startsWith('<!ENTITY', i)) {
      i += 8;
      space();
      if (s[i] !== '%') dtd.entities.add(name()); // a parameter entity is not referenced in content
      skipDecl();
    } else if (s.startsWith('<!ATTLIST', i)) {
      i += 9;
      readAttlist(afterPeReference ? new Dtd() : dtd, name());
    } else if (s[i] === '<') {
      skipDecl();
    } else {
      if (s[i] === '%') afterPeReference = true; // %name;
      i++;
    }
  }
  return dtd;

  function readAttlist(into: Dtd, element: string): void {
    for (;;) {
      space();
      if (i >= s.length || s[i] === '>') break;
      const attribute = name();
      if (attribute === '') break;
      space();
      let type = 'ENUMERATION';
      if (s[i] !== '(') type = name();
      if (type === 'ENUMERATION' || type === 'NOTATION') {
        const close = s.indexOf(')', i); // (a|b)
        i = close < 0 ? s.length : close + 1;
      }
      space();
      let literal: string | undefined;
      if (s[i] === '#') {
        const keyword = name();
        if (keyword === '#FIXED') literal = quoted();
      } else literal = quoted();
      const cdata = type === 'CDATA';
      const { value, entity } = literal === undefined ? { value: undefined, entity: undefined } : defaultValue(literal, cdata);
      into.declareAttribute(element, { name: attribute, cdata, value, entity });
    }
    i++;
  }
}

/** Where the internal subset opens: the first '[' outside a quoted system or public id. */
function subsetStart(doctype: string): number {
  let quote = '';
  for (let i = 0; i < doctype.length; i++) {
    const c = doctype[i]!;
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') return i;
  }
  return -1;
}

/** A default value as the parser would have read it in a start tag: references replaced, then normalised. */
function defaultValue(literal: string, cdata: boolean): { value: string; entity: string | undefined } {
  let value = '';
  const charRefs: number[] = [];
  let entity: string | undefined;
  let i = 0;
  while (i < literal.length) {
    const amp = literal.indexOf('&', i);
    if (amp < 0) break;
    const semi = literal.indexOf(';', amp);
    if (semi < 0) break;
    value += literal.slice(i, amp);
    const ref = literal.slice(amp + 1, semi);
    if (ref.startsWith('#')) {
      charRefs.push(value.length);
      value += String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    } else if (Object.hasOwn(PREDEFINED, ref)) value += PREDEFINED[ref]!;
    else entity ??= ref;
    i = semi + 1;
  }
  value += literal.slice(i);
  return { value: normalizeAttribute(value, charRefs, !cdata), entity };
}
