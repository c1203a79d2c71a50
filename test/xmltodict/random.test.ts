// Random documents, judged by xmltodict: whole-document JSON and records must be identical.
// fast-check generates the documents; one Python process judges the whole batch; our side reads
// each one in chunks cut at random offsets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OracleOptions, type Request, disagreement, judge, ours } from './oracle.js';

/** Documents per run (both modes, each judged by xmltodict, each read by both backends). */
export const RUNS = 12_000;

interface Element {
  name: string;
  attrs: Array<[string, Piece[]]>;
  children: Node[];
  selfClose: boolean;
  /** white space inside tags, and the attribute quote */
  space: string;
  quote: '"' | "'";
}
type Piece = { kind: 'char'; text: string } | { kind: 'ref'; cp: number; hex: boolean };
type Node =
  | { kind: 'element'; element: Element }
  | { kind: 'text'; pieces: Piece[] }
  | { kind: 'cdata'; text: string }
  | { kind: 'comment'; text: string }
  | { kind: 'pi'; target: string; data: string };

// Small pools, so that names repeat (arrays) and prefixes collide once stripped.
const ELEMENT_NAMES = ['a', 'b', 'c', 'item', 'p:a', 'q:a', 'p:item', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'é', 'Ωmega', 'x.y', 'a-b', '_u'];
const ATTRIBUTE_NAMES = ['id', 'x', 'p:x', 'q:id', '__proto__', 'constructor', 'toString', 'valueOf', 'xmlns', 'xmlns:p'];
const NS_DECLARATIONS = ' xmlns:p="urn:p" xmlns:q="urn:q"';

const isXmlChar = (cp: number) => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
const anyXmlText = fc.string({ unit: 'binary', maxLength: 4 }).map((s) => [...s].filter((c) => isXmlChar(c.codePointAt(0)!)).join(''));
const tricky = fc.constantFrom('&', '<', '>', ']]>', ']]', '"', "'", ' ', '  ', '\n', '\t', '\r\n', '\r', '\u0085', '\u00a0', '\ufeff', '\u3000', '\u200b', '\u2028', '𝄞', '😀', 'é', '€', 'x', 'hello world', '007', 'true', '-1.5');
const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(tricky, anyXmlText).map((text): Piece => ({ kind: 'char', text })) },
  { weight: 1, arbitrary: fc.record({ cp: fc.constantFrom(0x9, 0xa, 0xd, 0x20, 0x26, 0x3c, 0x85, 0xe9, 0xfeff, 0x1d11e, 0x10ffff), hex: fc.boolean() }).map((r): Piece => ({ kind: 'ref', ...r })) },
);
const pieces = fc.array(piece, { maxLength: 5 });
const name = fc.constantFrom(...ELEMENT_NAMES);

const tree = fc.letrec<{ element: Element; node: Node }>((tie) => ({
  element: fc.record({
    name,
    attrs: fc.uniqueArray(fc.tuple(fc.constantFrom(...ATTRIBUTE_NAMES), pieces), { maxLength: 3, selector: ([n]) => n }),
    children: fc.array(tie('node'), { maxLength: 5, depthIdentifier: 'tree' }),
    selfClose: fc.boolean(),
    space: fc.constantFrom('', '', ' ', '\n\t', '\r\n'),
    quote: fc.constantFrom('"', "'"),
  }),
  node: fc.oneof(
    { maxDepth: 5, depthSize: 'small', depthIdentifier: 'tree', withCrossShrink: true }, // at depth 5: text only
    { weight: 3, arbitrary: pieces.map((p): Node => ({ kind: 'text', pieces: p })) },
    { weight: 4, arbitrary: tie('element').map((element): Node => ({ kind: 'element', element: element as Element })) },
    { weight: 1, arbitrary: fc.array(fc.oneof(tricky, anyXmlText), { maxLength: 3 }).map((t): Node => ({ kind: 'cdata', text: t.join('') })) },
    { weight: 1, arbitrary: fc.constantFrom('', ' c ', 'a-b', '<x>&amp;', '𝄞').map((text): Node => ({ kind: 'comment', text })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('pi', 'x-y', 'php'), fc.constantFrom('', 'data', ' <>& ', 'a?b')).map(([target, data]): Node => ({ kind: 'pi', target, data })) },
  ),
}));

// '>' may stand for itself, except after ']]'; '&apos;' and '&quot;' are used where they need not be.
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/]]>/g, ']]&gt;').replace(/'/g, (q) => (s.length % 2 === 0 ? '&apos;' : q));
const serializePieces = (ps: Piece[], escape: (s: string) => string) =>
  ps.map((p) => (p.kind === 'char' ? escape(p.text) : p.hex ? `&#x${p.cp.toString(16)};` : `&#${p.cp};`)).join('').replaceAll(']]>', ']]&gt;'); // also across pieces

function serialize(e: Element, rootExtra: string): string {
  const q = e.quote;
  const attrs = e.attrs.map(([n, v]) => ` ${n}${e.space}=${e.space}${q}${serializePieces(v, (s) => escapeText(s).replaceAll(q, q === '"' ? '&quot;' : '&apos;'))}${q}`).join('');
  const open = `<${e.name}${rootExtra}${attrs}${e.space}`;
  if (e.children.length === 0 && e.selfClose) return `${open}/>`;
  let body = '';
  for (const n of e.children) {
    switch (n.kind) {
      case 'element': body += serialize(n.element, ''); break;
      case 'text': {
        const text = serializePieces(n.pieces, escapeText);
        body += body.endsWith(']]') && text.startsWith('>') ? '&gt;' + text.slice(1) : text; // no ']]>' across two texts
        break;
      }
      case 'cdata': body += `<![CDATA[${n.text.split(']]>').join(']]]]><![CDATA[>')}]]>`; break;
      case 'comment': body += `<!--${n.text}-->`; break;
      case 'pi': body += `<?${n.target}${n.data === '' ? '' : ' ' + n.data}?>`; break;
    }
  }
  return `${open}>${body}</${e.name}${e.space}>`;
}

/** Every absolute path of an element in the tree, as names (local names when prefixes are stripped). */
function paths(e: Element, local: (n: string) => string, above = ''): string[] {
  const here = `${above}/${local(e.name)}`;
  return [here, ...e.children.flatMap((n) => (n.kind === 'element' ? paths(n.element, local, here) : []))];
}

function withoutNsAttributes(e: Element): Element {
  return {
    ...e,
    attrs: e.attrs.filter(([n]) => n !== 'xmlns' && !n.startsWith('xmlns:')),
    children: e.children.map((n) => (n.kind === 'element' ? { kind: 'element', element: withoutNsAttributes(n.element) } : n)),
  };
}

const attlist = fc.record({
  element: name,
  attribute: fc.constantFrom('id', 'x', 'y', 'dflt'),
  type: fc.constantFrom('CDATA', 'NMTOKENS', 'ID', '(u|v)'),
  dflt: fc.constantFrom('#IMPLIED', '#REQUIRED', '"d"', '"  d  e "', '#FIXED "f"', '"&amp;&#9;t"', "'&#32;s&#32; q'"),
});
// Declarations in the internal subset: attribute lists, and others that must change nothing,
// except a parameter-entity reference, after which expat ignores the attribute lists.
const declaration = fc.oneof(
  { weight: 4, arbitrary: attlist.map((a) => `<!ATTLIST ${a.element} ${a.attribute} ${a.type} ${a.dflt}>`) },
  { weight: 1, arbitrary: fc.constantFrom('<!ENTITY unused "v &amp; w">', '<!ENTITY % pe "<!ATTLIST a z CDATA \'pe\'>">', "<!-- it's > -->", '<!ELEMENT a ANY>', '<?pi x?>', '<!NOTATION n SYSTEM "n">', '<!ENTITY % ext SYSTEM "ext.dtd"> %ext;') },
);

const documentRequest: fc.Arbitrary<Request & { text: string }> = fc
  .record({
    root: tree.element,
    stripNs: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    attrPrefix: fc.constantFrom(undefined, '@', '_', 'attr_'),
    textKey: fc.constantFrom(undefined, '#text', '_text', '$'),
    forceList: fc.subarray(['a', 'b', 'item', '__proto__', 'é']),
    declaration: fc.constantFrom('', '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>\n'),
    misc: fc.constantFrom('', '\n', '<!-- before -->\n', '<?pi before?>'),
    doctype: fc.option(fc.array(declaration, { maxLength: 4 }), { freq: 3 }),
    encoding: fc.constantFrom('utf-8', 'utf-8', 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'),
    selectName: fc.nat(),
    selectPath: fc.nat(),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map((r) => {
    const local = r.stripNs ? (n: string) => n.slice(n.indexOf(':') + 1) : (n: string) => n;
    const root = r.stripNs ? withoutNsAttributes(r.root) : r.root;
    const subset = r.doctype === null || r.stripNs ? '' : r.doctype.join('\n');
    const doctype = r.doctype === null ? '' : `<!DOCTYPE ${root.name}${subset === '' ? '' : ` [\n${subset}\n]`}>\n`;
    const text = `${r.declaration.replace('UTF-8', r.encoding.startsWith('utf-16') ? 'UTF-16' : 'UTF-8')}${r.misc}${doctype}${serialize(root, r.stripNs ? NS_DECLARATIONS : '')}${r.misc}`;
    const all = paths(root, local);
    const opts: OracleOptions = { forceList: r.forceList.map(local), stripNs: r.stripNs };
    if (r.attrPrefix !== undefined) opts.attrPrefix = r.attrPrefix;
    if (r.textKey !== undefined) opts.textKey = r.textKey;
    const xml = encode(text, r.encoding);
    const names = [...new Set(all.map((path) => path.slice(path.lastIndexOf('/') + 1)))];
    return { text, xml, cuts: r.cuts.map((cut) => cut % (xml.length + 1)), opts, select: [names[r.selectName % names.length]!, all[r.selectPath % all.length]!] };
  });

function encode(text: string, encoding: string): Uint8Array {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf-8-bom') return Buffer.from('\uFEFF' + text, 'utf8');
  const le = Buffer.from('\uFEFF' + text, 'utf16le');
  return encoding === 'utf-16le' ? le : Buffer.from(le).swap16();
}

describe('random documents, judged by xmltodict', () => {
  it(`${RUNS} documents: the same JSON, whole and as records`, () => {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const requests = fc.sample(documentRequest, { numRuns: RUNS, seed });
    const verdicts = judge(requests);
    const failures: string[] = [];
    let judged = 0;
    requests.forEach((request, i) => {
      const theirs = verdicts[i]!;
      if (theirs.ok) judged++;
      const why = disagreement(theirs, ours(request));
      if (why !== undefined) failures.push(`seed ${seed} #${i} ${JSON.stringify(request.opts)} ${JSON.stringify(request.select)} cuts ${JSON.stringify(request.cuts)}\n${JSON.stringify(request.text)}\n${why}`);
    });
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
    expect(judged).toBe(RUNS); // every document was well-formed to expat, so each one was compared
  }, 300_000);
});
