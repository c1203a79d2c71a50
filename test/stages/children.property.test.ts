// With --fields or -w, the builder builds only the record's children those read (chain.ts's
// childrenRead). The oracle is the same chain building every child: a where test of the caller's
// own (a function) reads anything, so nothing is passed over. Both must write the same text and
// fail with the same fault at the same place, on random records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PipelineOptions, pipeline } from '../../src/chain.js';
import { parseSync } from '../../src/driver.js';
import { XmlSyntaxError } from '../../src/errors.js';
import { type Test, allOf, parseWhere } from '../../src/query.js';
import type { Json } from '../../src/stages/build.js';

// Names that repeat (arrays), nest inside records (a record's name too) and are prototype keys.
const NAMES = ['a', 'b', 'c', 'bus', '__proto__', 'constructor', 'p:a'];
const FIELDS = ['a', 'b', 'c', 'a.b', 'b.@id', '@id', '#text', 'a.#text', '__proto__', 'constructor.a', 'p:a', 'bus', 'bus.a', 'missing', 'r', 'r.bus'];
const WHERE = ['a', 'b=1', 'a!=1', 'c~^t', '#text=t', '@id=1', 'a.b=t', '__proto__=1', 'bus.a', 'a.@id!=x', 'p:a=1'];

const text = fc.constantFrom('', '1', 't', 'two words', ' 1 ', '&amp;', '<![CDATA[t]]>', '\n\t');
const attrs = fc.constantFrom('', ' id="1"', ' id="x"', ' x="1" id="t"');
const { element } = fc.letrec<{ element: string; node: string }>((tie) => ({
  element: fc.record({ name: fc.constantFrom(...NAMES), attrs, children: fc.array(tie('node'), { maxLength: 4 }) }).map(({ name, attrs: a, children }) =>
    children.length === 0 ? `<${name}${a}/>` : `<${name}${a}>${children.join('')}</${name}>`,
  ),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, tie('element'), text),
}));
const records = fc.array(
  fc.record({ attrs, children: fc.array(fc.oneof(element, text), { maxLength: 6 }) }).map(({ attrs: a, children }) => `<bus${a}>${children.join('')}</bus>`),
  { maxLength: 5 },
);
const document = records.map((list) => `<r xmlns:p="urn:p">${list.join('\n')}</r>`);

/** What the chain writes for `xml` in chunks of `size`, and its fault (code, reason and place), if any. */
function run(xml: string, options: PipelineOptions, size: number): { text: string; fault?: unknown } {
  let text = '';
  const chunks: string[] = [];
  for (let i = 0; i < xml.length; i += size) chunks.push(xml.slice(i, i + size));
  try {
    parseSync(chunks, pipeline(options, (piece) => (text += piece)), options.maxRecord === undefined ? {} : { limits: { maxRecord: options.maxRecord } });
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    return { text, fault: { code: error.code, reason: error.reason, line: error.line, column: error.column } };
  }
  return { text };
}

describe('the builder passes over the children no stage reads', () => {
  it('writes what building every child writes, for --fields, -w and --count, in every format, records tagged or not, and whole documents', () => {
    fc.assert(
      fc.property(
        document,
        fc.option(fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 4 }), { nil: undefined }),
        fc.array(fc.constantFrom(...WHERE), { maxLength: 3 }),
        fc.constantFrom('ndjson', 'json', 'csv', 'count'),
        fc.record({ element: fc.constantFrom('bus', 'bus', undefined), tag: fc.boolean(), stripNamespaces: fc.boolean(), forceList: fc.constantFrom([], ['a'], ['bus']), maxRecord: fc.constantFrom(undefined, 12, 40) }),
        fc.integer({ min: 1, max: 64 }),
        (xml, fields, expressions, format, more, size) => {
          if (format === 'csv' && fields === undefined) fields = ['a'];
          const test: Test | undefined = expressions.length === 0 ? undefined : allOf(expressions.map((expression) => parseWhere(expression)));
          const options: PipelineOptions = { fields, format: format === 'count' ? 'ndjson' : format, count: format === 'count', ...more };
          const pruned = run(xml, { ...options, where: test }, size);
          const whole = run(xml, { ...options, where: test === undefined ? (): boolean => true : (record: Json) => test(record) }, size);
          expect(pruned).toEqual(whole);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('still counts a child it passes over towards maxRecord', () => {
    const xml = `<r><bus><id>1</id><note>${'x'.repeat(50)}</note></bus></r>`;
    const fault = run(xml, { element: 'bus', fields: ['id'], format: 'ndjson', maxRecord: 40 }, 1000).fault;
    expect(fault).toMatchObject({ code: 'XML_LIMIT', line: 1, column: 25 }); // the note's text, where building it would fail too
  });
});
