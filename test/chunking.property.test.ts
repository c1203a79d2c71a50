// Any split of the input bytes into chunks, down to one byte a chunk, gives the output of one write.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSync } from '../src/driver.js';
import { type PipelineOptions, pipeline } from '../src/chain.js';
import { splitAt } from './helpers/collect.js';

function convert(chunks: Uint8Array[], options: PipelineOptions): string {
  let out = '';
  parseSync(chunks, pipeline(options, (text) => (out += text)));
  return out;
}

const sample = readFileSync(new URL('../samples/buses.xml', import.meta.url)).subarray(0, 6000);
// End the excerpt cleanly: keep whole buses only.
const cut = sample.lastIndexOf(Buffer.from('</bus>')) + '</bus>'.length;
const buses = Buffer.concat([sample.subarray(0, cut), Buffer.from('\n</buses>\n')]);
const mixed = Buffer.from('\uFEFF<?xml version="1.0"?><r a="é&amp;">x<![CDATA[ <𝄞> & ]]>y&#233;<!-- c --><s>€</s>\u0085</r>', 'utf8');

describe('chunking', () => {
  const jobs: Array<[string, Buffer, PipelineOptions]> = [
    ['bus job as CSV', buses, { element: 'bus', where: { direction: 'North Bound' }, format: 'csv' }],
    ['buses as NDJSON', buses, { element: 'bus', format: 'ndjson' }],
    ['mixed content, whole document', mixed, { format: 'json' }],
  ];

  it.each(jobs)('%s: any split gives the output of a single write', (_name, bytes, options) => {
    const whole = convert([bytes], options);
    expect(whole.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.array(fc.nat(bytes.length), { maxLength: 30 }), (cuts) => {
        expect(convert(splitAt(bytes, cuts), options)).toBe(whole);
      }),
      { numRuns: 200 },
    );
  });

  it.each(jobs)('%s: one byte per chunk gives the output of a single write', (_name, bytes, options) => {
    const bytewise = [...bytes].map((b) => Uint8Array.of(b));
    expect(convert(bytewise, options)).toBe(convert([bytes], options));
  });
});
