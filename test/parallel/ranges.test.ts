// -j N: a file cut into byte ranges, read speculatively and verified, gives exactly one core's output —
// for tricky documents, every record selector and format, and cuts at every byte.
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSync } from '../../src/driver.js';
import { pipeline } from '../../src/chain.js';
import type { ChainSpec } from '../../src/parallel/range.js';
import { convertUnits, inThisThread, planRanges } from '../../src/parallel/run.js';
import { allOf, parseWhere } from '../../src/query.js';

const dir = mkdtempSync(join(tmpdir(), 'cosax-ranges-'));
let files = 0;
const fileOf = (xml: string): string => {
  const file = join(dir, `doc-${files++}.xml`);
  writeFileSync(file, xml);
  return file;
};

/** One core: the whole file through the chain, as the command line runs it. */
function oneCore(xml: string, spec: ChainSpec, file = 'doc.xml'): string {
  let out = '';
  try {
    const { limits, encoding: _encoding, ...options } = spec; // the parser's, not the chain's
    parseSync([Buffer.from(xml)], pipeline({ ...options, where: spec.where.length === 0 ? undefined : allOf(spec.where.map((w) => parseWhere(w))), maxRecord: limits.maxRecord }, (text) => (out += text)), { limits, file });
  } catch (error) {
    out += `\nERROR ${(error as Error).message}`;
  }
  return out;
}

/** Several ranges, ending at these bytes, read one after another in this thread (the workers' code). */
async function inRanges(xml: string, spec: ChainSpec, cuts: number[]): Promise<string> {
  const file = fileOf(xml);
  const plan = planRanges(file, spec, 2, xml.length);
  if (!('ends' in plan)) return oneCore(xml, spec, file);
  const size = Buffer.byteLength(xml);
  const ends = [...new Set(cuts.filter((c) => c > plan.prolog && c < size))].sort((a, b) => a - b);
  let out = '';
  try {
    await convertUnits([{ kind: 'ranges', file, plan: { ...plan, ends: [...ends, size] } }], spec, inThisThread, { write: (piece) => void (out += typeof piece === 'string' ? piece : Buffer.from(piece).toString()), drained: async () => undefined }, 2);
  } catch (error) {
    out += `\nERROR ${(error as Error).message.replace(file, 'doc.xml')}`;
  }
  return out;
}

const spec = (element: string, more: Partial<ChainSpec> = {}): ChainSpec => ({ element: [element], where: [], format: 'ndjson', limits: {}, ...more });

// Records and what can be mistaken for one: a tag in CDATA, a comment, a PI, text; nesting; touching
// records; a name that begins with the record's; multi-byte characters; an element between records.
const piece = fc.constantFrom(
  '<item>a</item>',
  '<item/>',
  '<item a="1"/>',
  '<item x="é€"><b>𝄞</b><b>2</b></item>',
  '<item><item>nested</item></item>',
  '<item><![CDATA[<item>not one</item>]]></item>',
  '<!-- <item>not one</item> -->',
  '<?pi <item?>',
  '<note>&lt;item&gt;</note>',
  '<itemized>prefix</itemized>',
  '<group><item>in a group</item></group>',
  '<group/>',
  '\n  ',
  'text é ',
);
const doc = fc.tuple(fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', '<!DOCTYPE feed [<!ATTLIST item d CDATA "dflt">]>\n'), fc.array(piece, { maxLength: 12 })).map(([prolog, pieces]) => `${prolog}<feed>${pieces.join('')}</feed>\n`);

describe('-j N gives one core\'s output, byte for byte', () => {
  const specs: Array<[string, ChainSpec]> = [
    ['-e item, NDJSON', spec('item')],
    ['-e /feed/item, JSON', spec('/feed/item', { format: 'json' })],
    ['-e /feed/group/item, JSON indented', spec('/feed/group/item', { format: 'json', indent: 2 })],
    ['-e item -w b, CSV with --fields', spec('item', { format: 'csv', fields: ['@a', 'b'], where: ['b'] })],
    ['-e item --count', spec('item', { count: true })],
    ['-e item -e note --tag, NDJSON', { ...spec('item', { tag: true }), element: ['item', 'note'] }],
  ];

  it.each(specs)('%s: a range boundary at every byte of generated documents', async (_name, options) => {
    for (const xml of fc.sample(doc, { seed: 1201, numRuns: 25 })) {
      const expected = oneCore(xml, options);
      const size = Buffer.byteLength(xml);
      for (let cut = 1; cut < size; cut++) expect(await inRanges(xml, options, [cut]), `${xml} cut at ${cut}`).toBe(expected);
    }
  });

  it.each(specs)('%s: many ranges at random places', async (_name, options) => {
    await fc.assert(
      fc.asyncProperty(doc, fc.array(fc.nat(400), { minLength: 1, maxLength: 10 }), async (xml, cuts) => {
        expect(await inRanges(xml, options, cuts)).toBe(oneCore(xml, options));
      }),
      { numRuns: 150 },
    );
  });

  it('a document malformed in its last range: the records before the fault, then the same error and position', async () => {
    const xml = `<feed>\n${'<item>ok</item>\n'.repeat(40)}<item>bad</oops>\n${'<item>after</item>\n'.repeat(5)}</feed>\n`;
    const expected = oneCore(xml, spec('item'));
    expect(expected).toMatch(/\nERROR doc.xml:42:12: the end tag <\/oops> does not match <item>$/);
    for (let cut = 1; cut < xml.length; cut += 7) expect(await inRanges(xml, spec('item'), [cut, cut + 300])).toBe(expected);
  });

  it.each([
    ['an end tag that does not match, outside a record', '<feed><g><item>1</item></h><item>2</item></feed>'],
    ['text after the root', '<feed><item>1</item></feed>x<item>2</item>'],
    ['a second root', '<feed><item>1</item></feed><feed><item>2</item></feed>'],
    ['the root not closed', '<feed><item>1</item><item>2</item>'],
    ['nested deeper than the limit', '<feed><a><a><a><item>1</item></a></a></a></feed>'],
  ])('%s: the same fault as one core, wherever the file is cut, the JSON array closed before it', async (_what, xml) => {
    for (const format of ['ndjson', 'json'] as const) {
      const options = spec('item', { format, limits: { maxDepth: 4 } });
      const expected = oneCore(xml, options);
      expect(expected).toContain('ERROR');
      for (let cut = 1; cut < xml.length; cut++) expect(await inRanges(xml, options, [cut])).toBe(expected);
    }
  });
});
