// Arbitraries for fuzzing: well-formed documents (escaped by construction), mutations of them, and
// token soup. Names include the ones that are also prototype keys.
import fc from 'fast-check';

const NAMES = ['a', 'b', 'bus', 'x:y', 'é', '__proto__', 'constructor', 'prototype'];
const ATTRIBUTES = ['id', 'x', 'y:z', '__proto__', 'hasOwnProperty', 'toString'];

// Characters that need care: markup, references, non-ASCII, Python's extra white space (U+0085).
const textChar = fc.constantFrom('a', 'b', ' ', '\n', '<', '>', '&', ']', '"', "'", 'é', '€', '𝄞', '\u0085', '\t');
const text = fc.string({ unit: textChar, maxLength: 12 });
const escapeText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
// Attribute values: tab and newline left out (expat normalises them to spaces; sax does not, yet).
const escapeAttribute = (s: string) => escapeText(s).replaceAll('"', '&quot;').replaceAll('\n', ' ').replaceAll('\t', ' ');

const { element } = fc.letrec<{ element: string; node: string }>((tie) => ({
  element: fc
    .record({
      name: fc.constantFrom(...NAMES),
      attrs: fc.uniqueArray(fc.tuple(fc.constantFrom(...ATTRIBUTES), text), { maxLength: 3, selector: ([name]) => name }),
      children: fc.array(tie('node'), { maxLength: 5 }),
    })
    .map(({ name, attrs, children }) => {
      const open = `<${name}${attrs.map(([a, v]) => ` ${a}="${escapeAttribute(v)}"`).join('')}`;
      return children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${name}>`;
    }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text.map(escapeText),
    text.map((s) => `<![CDATA[${s.replaceAll(']]>', ']] >')}]]>`),
    text.map((s) => `<!--${s.replaceAll('-', '_')}-->`),
    text.map((s) => `<?pi ${s.replaceAll('?>', '? >')}?>`),
    fc.constantFrom('&#233;', '&#x1D11E;', '&amp;', '&lt;', '&#10;'),
    tie('element'),
  ),
}));

// Declarations that change nothing in the output (expat would apply defaults and expand entities in use).
const DECLARATIONS = [
  '<!ELEMENT r ANY>',
  '<!ELEMENT unused (a, (b | c)*, d?)+>',
  '<!ELEMENT m (#PCDATA | a | b)*>',
  '<!ELEMENT e EMPTY>',
  '<!ATTLIST unused zz CDATA #IMPLIED yy (p | q) "p" xx NMTOKENS #REQUIRED ww ID #IMPLIED>',
  '<!ATTLIST unused vv CDATA #FIXED "a&amp;b&#38;c" uu NOTATION (gif) #IMPLIED>',
  '<!ENTITY e "a &#38; b">',
  "<!ENTITY ext SYSTEM 'ext.xml'>",
  '<!ENTITY pub PUBLIC "-//cosax//x//EN" "x.dtd">',
  '<!ENTITY pic SYSTEM "p.gif" NDATA gif>',
  '<!ENTITY % pe "<!ELEMENT q EMPTY>">',
  '<!NOTATION gif PUBLIC "gif">',
  '<!NOTATION png SYSTEM "png">',
  '<!-- a comment in the DTD -->',
  '<?pi in the DTD?>',
];
const dtd = fc.array(fc.constantFrom(...DECLARATIONS), { minLength: 1, maxLength: 6 }).map((ds) => `<!DOCTYPE r [\n${ds.join('\n')}\n]>\n`);

/** A well-formed document: an optional XML declaration, comments, one root element. */
export const wellFormed = fc
  .tuple(fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?>'), fc.oneof(fc.constantFrom('', '<!-- c -->', '<!DOCTYPE r>\n'), dtd), element, fc.constantFrom('', '\n', '<!-- end -->'))
  .map((parts) => parts.join(''));

type Mutation = (doc: string) => string;
const at = (doc: string, n: number) => Math.floor(n * (doc.length + 1));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 8 })).map(([p, n]): Mutation => (d) => d.slice(0, at(d, p)) + d.slice(at(d, p) + n)),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 12 })).map(([p, n]): Mutation => (d) => d.slice(0, at(d, p) + n) + d.slice(at(d, p))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('<', '&', ']]>', '</', '"', '&#0;', '<!--')).map(([p, s]): Mutation => (d) => d.slice(0, at(d, p)) + s + d.slice(at(d, p))),
  fc.double({ min: 0, max: 1, noNaN: true }).map((p): Mutation => (d) => d.slice(0, at(d, p))),
);

/** A well-formed document with one to three random faults put in: deletions, duplications, insertions, truncation. */
export const mutated = fc.tuple(wellFormed, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([doc, ms]) => ms.reduce((d, m) => m(d), doc));

/** Token soup: XML's pieces in random order. */
export const soup = fc
  .array(fc.constantFrom('<', '>', '/', '&', ';', '"', "'", '=', ' ', 'a', 'b', '<a>', '</a>', '<b/>', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE a [', ']>', '<!ENTITY e "x">', '&e;', '&#', 'x', '#', '\u0000', '\uFFFE', 'é', '<?xml version="1.0"?>'), { maxLength: 30 })
  .map((pieces) => pieces.join(''));
