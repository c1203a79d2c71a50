// The saxes backend against the sax backend: the same events and the same output on the same inputs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { XmlEvent } from '../../src/events.js';
import { XmlSyntaxError } from '../../src/errors.js';
import { type ParserName, feed } from '../../src/parse/feed.js';
import { parseSync } from '../../src/parse/parse.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/limits.js';
import { type PipelineOptions, pipeline } from '../../src/pipeline.js';
import { mutated, soup, wellFormed } from '../fuzz/documents.js';
import { collect } from '../helpers/collect.js';
import { runBin } from '../helpers/run-bin.js';

const buses = readFileSync(new URL('../../samples/buses.xml', import.meta.url));

function events(xml: string | Uint8Array, parser: ParserName): XmlEvent[] {
  const into: XmlEvent[] = [];
  parseSync([xml], collect(into), { parser });
  return into;
}

/** Text pieces may be split differently by each parser; joins adjacent text events before comparing. */
function merged(list: XmlEvent[]): XmlEvent[] {
  const out: XmlEvent[] = [];
  for (const event of list) {
    const last = out.at(-1);
    if (event.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + event.text };
    else out.push(event);
  }
  return out;
}

function convert(chunks: Array<string | Uint8Array>, options: PipelineOptions, parser: ParserName): string {
  let out = '';
  parseSync(chunks, pipeline(options, (text) => (out += text)), { parser });
  return out;
}

/** What each backend wrote before its fault, and the fault. */
function convertFailing(xml: string, options: PipelineOptions, parser: ParserName): { out: string; error: XmlSyntaxError } {
  let out = '';
  try {
    parseSync([xml], pipeline(options, (text) => (out += text)), { parser });
  } catch (error) {
    return { out, error: error as XmlSyntaxError };
  }
  throw new Error('expected a fault');
}

describe('the saxes backend', () => {
  it.each([
    ['elements, attributes and text', '<a x="1" y="two"><b>hi</b><c/></a>'],
    ['CDATA between text', '<a>x<![CDATA[Paulina & <Howard>]]>y</a>'],
    ['entities and character references', '<a t="&lt;&amp;">&lt;&gt;&amp;&quot;&apos;&#233;&#x1D11E;</a>'],
    ['comments, PIs, a declaration and a DOCTYPE', '<?xml version="1.0"?>\n<!DOCTYPE a>\n<a><?pi x?><!--c-->t<!--d--></a>'],
    ['an attribute named __proto__', '<a __proto__="x" constructor="y"/>'],
    ['mixed content and white space', '<p>Hello <b>world</b> again\t\n</p>'],
    ['non-ASCII names and text', '<données clé="é">€ 𝄞</données>'],
    ['the bus sample', buses],
  ])('sends the events that sax sends: %s', (_name, xml) => {
    const fromSaxes = merged(events(xml, 'saxes'));
    expect(fromSaxes.length).toBeGreaterThan(1);
    expect(fromSaxes).toEqual(merged(events(xml, 'sax')));
  });

  it.each(['sax', 'saxes'] as const)('%s: sends no white space before an element\'s first text, and all text after it', (parser) => {
    const texts = (xml: string) => events(xml, parser).flatMap((e) => (e.type === 'text' ? [e.text] : []));
    expect(texts('<a>\n\t<b>x</b>\r\n  <c/> </a>')).toEqual(['x']);
    expect(texts('<p> <b/>Hello<b/> <![CDATA[ ]]><c/>again </p>').join('')).toBe('Hello  again ');
    expect(texts('<a>\u00A0<b/>\u0085</a>')).toEqual(['\u00A0', '\u0085']); // not XML white space: sent
    // xmltodict: {'p': {'b': [None, None], 'c': None, '#text': 'Hello  again'}}
    expect(convert(['<p> <b/>Hello<b/> <![CDATA[ ]]><c/>again </p>'], { format: 'json' }, parser)).toBe('{"p":{"b":[null,null],"c":null,"#text":"Hello  again"}}\n');
  });

  it('keeps attributes in plain objects, __proto__ as an own key', () => {
    const [start] = events('<a __proto__="x"/>', 'saxes');
    const attrs = (start as { attrs: Record<string, string> }).attrs;
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.keys(attrs)).toEqual(['__proto__']);
  });

  const jobs: Array<[string, PipelineOptions]> = [
    ['the bus job as CSV', { element: 'bus', where: [['route', '22'], ['direction', 'North Bound']], format: 'csv', fields: ['route', 'id', 'direction', 'latitude', 'longitude'] }],
    ['every bus as NDJSON', { element: 'bus', format: 'ndjson' }],
    ['the whole document as JSON', { format: 'json' }],
  ];

  it.each(jobs)('writes what sax writes: %s', (_name, options) => {
    const out = convert([buses], options, 'saxes');
    expect(out).toMatch(/North Bound/);
    expect(out).toBe(convert([buses], options, 'sax'));
  });

  it('gives the same output when the bytes come one at a time', () => {
    const excerpt = buses.subarray(0, 3000);
    const doc = Buffer.concat([excerpt.subarray(0, excerpt.lastIndexOf('</bus>') + 6), Buffer.from('</buses>')]);
    const options: PipelineOptions = { element: 'bus', format: 'ndjson' };
    expect(convert([...doc].map((b) => Uint8Array.of(b)), options, 'saxes')).toBe(convert([doc], options, 'sax'));
  });

  it.each([
    ['a close tag that does not match', '<r><bus><id>1</id></bus><bus><id>2</id></bux></r>', 1],
    ['an undeclared entity', '<r><bus><id>1</id></bus>\n<bus><id>&nbsp;</id></bus></r>', 2],
    ['an unclosed root', '<r><bus><id>1</id></bus>', 1],
    ['a second root', '<r><bus><id>1</id></bus></r><r/>', 1],
  ])('%s: the same records come out before the same kind of fault, on the same line', (_name, xml, line) => {
    const options: PipelineOptions = { element: 'bus', format: 'ndjson' };
    const sax = convertFailing(xml, options, 'sax');
    const saxes = convertFailing(xml, options, 'saxes');
    expect(saxes.out).toBe('{"id":"1"}\n');
    expect(saxes.out).toBe(sax.out);
    expect(saxes.error).toBeInstanceOf(XmlSyntaxError);
    expect(saxes.error).toMatchObject({ code: 'XML_SYNTAX', line });
    expect(sax.error).toMatchObject({ code: 'XML_SYNTAX', line });
  });

  it('does not end an element whose close tag is wrong', () => {
    const into: XmlEvent[] = [];
    expect(() => parseSync(['<a><b></c></a>'], collect(into), { parser: 'saxes' })).toThrow(/unexpected close tag/);
    expect(into.filter((e) => e.type === 'end')).toEqual([]);
  });

  it('reports an empty document as sax does', () => {
    expect(() => events('', 'saxes')).toThrow(expect.objectContaining({ reason: 'no root element', line: 1 }));
  });

  // Where the two differ, saxes does what the XML spec and expat (xmltodict) do; results checked with xmltodict 0.13:
  // xmltodict.parse('<a\r\nb="x\ty\r\nz">l1\r\nl2\rl3</a>') == {'a': {'@b': 'x y z', '#text': 'l1\nl2\nl3'}}
  it('normalises line ends and attribute white space as xmltodict does', () => {
    expect(convert(['<a\r\nb="x\ty\r\nz">l1\r\nl2\rl3</a>'], { format: 'json' }, 'saxes')).toBe('{"a":{"@b":"x y z","#text":"l1\\nl2\\nl3"}}\n');
  });

  it('rejects a repeated attribute, as expat does', () => {
    expect(() => events('<a x="1" x="2"/>', 'saxes')).toThrow(/duplicate attribute/);
  });

  /** What a backend writes and the fault it stops at (code, reason, position), for these chunks and limits. */
  function outcome(chunks: Array<string | Uint8Array>, parser: ParserName, limits: Partial<Limits> = {}, options: PipelineOptions = { format: 'json' }) {
    let out = '';
    try {
      parseSync(chunks, pipeline(options, (text) => (out += text)), { parser, limits });
      return { out };
    } catch (error) {
      const { code, reason, line, column } = error as XmlSyntaxError;
      return { out, code, reason, line, column };
    }
  }
  const cutEvery = (xml: string, size: number) => Array.from({ length: Math.ceil(xml.length / size) }, (_, i) => xml.slice(i * size, (i + 1) * size));

  // Each fault below is one that saxes does not see by itself (or places elsewhere): the adapter
  // closes the gap, and the outcome is sax's to the letter, whole or a character at a time.
  it.each<[string, string, Partial<Limits>?]>([
    ['nesting deeper than --max-depth', '<r>'.repeat(DEFAULT_LIMITS.maxDepth + 1) + '</r>'.repeat(DEFAULT_LIMITS.maxDepth + 1)],
    ['nesting deeper than a lowered --max-depth', '<r><r><r><r/></r></r></r>', { maxDepth: 3 }],
    ['a DOCTYPE longer than --max-text', `<!DOCTYPE r [${'<!-- padding -->'.repeat(20)}`, { maxText: 100 }],
    ['a reference to an entity the DTD declares', '<!DOCTYPE r [<!ENTITY e "x">]>\n<r><b>1</b>\n<b>&e;</b></r>'],
    ['the same, in an attribute value', '<!DOCTYPE r [<!ENTITY e "x">]><r><b a="&e;"/></r>'],
    ['an undefined entity after an external DTD', '<!DOCTYPE r SYSTEM "r.dtd"><r>&e;</r>'],
    ['an undefined entity', '<r><b>1</b><b>&nbsp;</b></r>'],
    ['a default attribute that refers to a DTD entity', '<!DOCTYPE r [<!ENTITY e "x"><!ATTLIST r a CDATA "&e;">]><r/>'],
    ['a malformed content model in the internal subset', '<!DOCTYPE r [<!ELEMENT r (a|b,c)>]><r/>'],
    ['a malformed ATTLIST', '<!DOCTYPE r [<!ATTLIST r a CDATA>]><r/>'],
    ['a conditional section in the internal subset', '<!DOCTYPE r [<![INCLUDE[<!ELEMENT r ANY>]]>]><r/>'],
    ['a parameter-entity reference inside a declaration', '<!DOCTYPE r [<!ENTITY % p "CDATA"><!ATTLIST r a %p; #IMPLIED>]><r/>'],
    ['a bad public identifier', '<!DOCTYPE r PUBLIC "a{b" "r.dtd"><r/>'],
    ['text after the root element', '<r><b>1</b></r>\r\n  <!-- c -->\n  junk\n'],
    ['text after the root element, before markup', '<r/> junk <!-- c -->'],
    ['an "&" that starts no reference', '<r><b>1</b>A & B</r>'],
    ['an "&" that starts no reference, in an attribute value', '<r a="A &\nB"/>'],
  ])('%s: the outcome of sax, whole and a character at a time', (_name, xml, limits = {}) => {
    const sax = outcome([xml], 'sax', limits);
    expect(sax.code).toBeDefined();
    expect(outcome([xml], 'saxes', limits)).toEqual(sax);
    expect(outcome(cutEvery(xml, 1), 'saxes', limits)).toEqual(outcome(cutEvery(xml, 1), 'sax', limits));
  });

  it.each([
    ['in text', Buffer.concat([Buffer.from('<r>\n  <b>ab'), Buffer.of(0xff), Buffer.from('</b></r>')])],
    ['in an attribute value', Buffer.concat([Buffer.from('<?xml version="1.0"?>\n<r a="'), Buffer.of(0xc3, 0x28), Buffer.from('"/>')])],
    ['in the prolog', Buffer.concat([Buffer.from('<!-- x'), Buffer.of(0xff), Buffer.from('--><r/>')])],
  ])('places bytes invalid in the encoding where sax does: %s', (_name, bytes) => {
    const convertBytes = (parser: ParserName) => outcome([bytes], parser);
    expect(convertBytes('saxes')).toMatchObject({ code: 'XML_ENCODING' });
    expect(convertBytes('saxes')).toEqual(convertBytes('sax'));
  });

  it('names the entity, as sax does, and writes the records before it', () => {
    const xml = '<!DOCTYPE r [<!ENTITY e "x">]>\n<r><b>1</b>\n<b>&e;</b></r>';
    expect(outcome([xml], 'saxes', {}, { element: 'b', format: 'ndjson' })).toEqual({
      out: '"1"\n',
      code: 'XML_SYNTAX',
      reason: 'entity &e; is declared in the DTD, but entities are never expanded (see SECURITY.md)',
      line: 3,
      column: 6, // the ";" (sax says 7 here, and the ";" when text follows it)
    });
  });

  it('bounds text that saxes gathers across chunks, before the tag that ends it arrives', () => {
    const long = `<r>${'x'.repeat(101)}</r>`;
    expect(outcome([long], 'saxes', { maxText: 100 })).toEqual({ out: '', code: 'XML_LIMIT', reason: 'text longer than 100 characters (--max-text)', line: 1, column: 105 });
    expect(outcome([long], 'sax', { maxText: 100 })).toMatchObject({ code: 'XML_LIMIT', reason: 'text longer than 100 characters (--max-text)', line: 1 });
    const endless = ['<r>', ...Array(50).fill('x'.repeat(10))];
    expect(outcome(endless, 'saxes', { maxText: 100 })).toMatchObject({ code: 'XML_LIMIT', reason: 'text longer than 100 characters (--max-text)' });
    expect(outcome(['<r a="', ...Array(50).fill('x'.repeat(10))], 'saxes', { maxText: 100 })).toMatchObject({ code: 'XML_LIMIT' });
    expect(outcome(['<r>&', ...Array(50).fill('x'.repeat(10))], 'saxes', { maxText: 100 })).toMatchObject({ code: 'XML_LIMIT' });
    expect(outcome([`<r>${'x'.repeat(100)}</r>`], 'saxes', { maxText: 100 })).toEqual({ out: '{"r":"x'.padEnd(106, 'x') + '"}\n' });
  });

  // xmltodict.parse('<!DOCTYPE r [<!ATTLIST r a CDATA "d" b NMTOKENS "  x  y " c CDATA "&#9;t ">]><r b=" p \t q " c=" u&#10;v "/>')
  // == {'r': {'@b': 'p q', '@c': ' u\nv ', '@a': 'd'}}
  it('adds the DTD\'s default attributes and collapses its non-CDATA values, as xmltodict does', () => {
    const xml = '<!DOCTYPE r [<!ATTLIST r a CDATA "d" b NMTOKENS "  x  y " c CDATA "&#9;t ">]><r b=" p \t q " c=" u&#10;v "/>';
    const expected = '{"r":{"@b":"p q","@c":" u\\nv ","@a":"d"}}\n';
    expect(convert([xml], { format: 'json' }, 'saxes')).toBe(expected);
    expect(convert([xml], { format: 'json' }, 'sax')).toBe(expected);
  });

  // saxes finds many faults itself, at the character; sax's checks see a whole text or tag, and place them at its end.
  it('places a fault that saxes finds itself at the character, on the line sax names or earlier', () => {
    expect(outcome(['<r>a\u0001bc</r>'], 'saxes')).toMatchObject({ line: 1, column: 5 });
    expect(outcome(['<r>a\u0001bc</r>'], 'sax')).toMatchObject({ line: 1, column: 11 });
  });

  // sax as the oracle for saxes, on the fuzzer's documents (test/fuzz): well-formed ones, the same
  // with faults put in, and token soup. Seeded, as the fuzz tests are.
  it('accepts and rejects what sax does, with the same output, on 6,000 fuzzed documents', () => {
    const seed = Number(process.env['FUZZ_SEED'] ?? 20261125);
    const docs = [
      ...fc.sample(wellFormed, { seed, numRuns: 1000 }),
      ...fc.sample(mutated, { seed, numRuns: 4000 }),
      ...fc.sample(soup, { seed, numRuns: 1000 }),
    ];
    const differ: string[] = [];
    let rejected = 0;
    for (const doc of docs) {
      // as bytes, as the fuzz tests give them: a surrogate cut from its pair becomes U+FFFD (given in a
      // string, saxes would read it and the "<" after it as one character; sax reads the "<")
      const bytes = Buffer.from(doc, 'utf8');
      const sax = outcome([bytes], 'sax', {}, { element: 'a', format: 'ndjson' });
      const saxes = outcome([bytes], 'saxes', {}, { element: 'a', format: 'ndjson' });
      if (sax.code !== undefined) rejected++;
      // a fault is the same fault when it is on the same line: saxes may place it earlier on that line
      const same = sax.out === saxes.out && sax.code === saxes.code && sax.line === saxes.line;
      if (!same) differ.push(`${JSON.stringify(doc)}\n  sax:   ${JSON.stringify(sax)}\n  saxes: ${JSON.stringify(saxes)}`);
    }
    expect(rejected).toBeGreaterThan(3000);
    expect(differ.slice(0, 5).join('\n')).toBe('');
  });

  it('refuses an unknown backend by name', () => {
    expect(() => feed(collect([]), { parser: 'expat' as ParserName })).toThrow(/unknown parser "expat"/);
  });

  it('is chosen on the command line with --parser saxes', async () => {
    const args = ['-e', 'bus', '-w', 'route=22', '-f', 'csv', '--fields', 'id,route,direction'];
    const [saxes, sax] = await Promise.all([runBin([...args, '--parser', 'saxes'], buses), runBin(args, buses)]);
    expect(saxes).toMatchObject({ code: 0, stderr: '' });
    expect(saxes.stdout).toMatch(/^id,route,direction\n\d+,22,/);
    expect(saxes.stdout).toBe(sax.stdout);
  });
});
