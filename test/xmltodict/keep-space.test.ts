// keepSpace / --keep-space: text exactly as written, judged by xmltodict with strip_whitespace=False.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/api.js';
import { runBin } from '../helpers/run-bin.js';
import { type Request, disagreement, judge, ours } from './oracle.js';

// White space in every place it can go: between elements, around text, in CDATA, beside comments and references.
const space = fc.constantFrom('', ' ', '  ', '\n', '\n  ', '\t', '\r\n', ' \u00a0 ', '\u0085');
const word = fc.constantFrom('x', 'two words', '&amp;', '&#32;', '&#x85;', '<![CDATA[ c ]]>', '<![CDATA[]]>', '<!-- note -->', '<?pi d?>');
const text = fc.array(fc.oneof(space, word), { maxLength: 4 }).map((parts) => parts.join(''));
const name = fc.constantFrom('a', 'b', 'text', 'p');

const element: fc.Arbitrary<string> = fc.letrec<{ element: string }>((tie) => ({
  element: fc
    .record({
      name,
      attr: fc.boolean(),
      body: fc.array(fc.oneof({ maxDepth: 4, depthIdentifier: 'e' }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: tie('element') }), { maxLength: 4, depthIdentifier: 'e' }),
    })
    .map(({ name: n, attr, body }) => `<${n}${attr ? ' xml:space="preserve"' : ''}>${body.join('')}</${n}>`),
})).element;

const request: fc.Arbitrary<Request> = fc.record({ root: element, lead: fc.constantFrom('', '\n', ' \t\r\n') }).map(({ root, lead }) => ({
  xml: Buffer.from(`${lead}<r>${root}${lead}${root}</r>${lead}`),
  opts: { keepSpace: true },
  select: ['a', 'text', '/r/p'],
}));

describe('keepSpace: text as written, as xmltodict with strip_whitespace=False', () => {
  it('1,000 documents full of white space: the same JSON, whole and as records', () => {
    const requests = fc.sample(request, { numRuns: 1000, seed: 17 });
    const verdicts = judge(requests);
    const failures = requests.map((r, i) => disagreement(verdicts[i]!, ours(r))).filter((why) => why !== undefined);
    expect(failures.slice(0, 3)).toEqual([]);
    expect(verdicts.every((v) => v.ok)).toBe(true);
  });

  it('by hand: a Wikipedia <text xml:space="preserve"> keeps its spaces; white space between elements is #text', () => {
    const xml = '<page>\n  <title>Main</title>\n  <text xml:space="preserve">  indented code\n</text>\n</page>';
    expect(convert(xml, { keepSpace: true })).toEqual({ page: { title: 'Main', text: { '@xml:space': 'preserve', '#text': '  indented code\n' }, '#text': '\n  \n  \n' } });
    expect(convert(xml)).toEqual({ page: { title: 'Main', text: { '@xml:space': 'preserve', '#text': 'indented code' } } });
  });

  it('xml2json --keep-space gives what xmltodict gives', async () => {
    const xml = '<feed>\n <item> a <b/> c </item>\n <item>   </item>\n</feed>';
    const [theirs] = judge([{ xml: Buffer.from(xml), opts: { keepSpace: true }, select: ['item'] }]);
    const whole = await runBin(['--keep-space'], xml);
    const records = await runBin(['--keep-space', '-e', 'item'], xml);
    expect(whole.stdout.trimEnd()).toBe(theirs!.ok && theirs!.doc);
    expect(records.stdout.replaceAll('\n', '')).toBe(theirs!.ok && theirs!.records.get('item'));
    expect(JSON.parse(records.stdout)).toEqual([{ b: null, '#text': ' a  c ' }, '   ']);
  });
});
