// Fuzzing, through the library and the built CLI: random bytes, token soup, and well-formed documents
// with faults put in. Never an uncaught exception, never a hang; the outcome is the conversion that
// xmltodict (on expat) gives, or one clean XmlSyntaxError; splitting the input never changes it.
// Seeded (FUZZ_SEED to vary it), so that CI is repeatable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError } from '../../src/errors.js';
import { parseSync } from '../../src/driver.js';
import { pipeline } from '../../src/chain.js';
import { ENTITY_REFUSED } from '../conformance/suite.js';
import { splitAt } from '../helpers/collect.js';
import { runBin } from '../helpers/run-bin.js';
import { mutated, soup, wellFormed } from './documents.js';
import { xmltodict } from './xmltodict.js';

const seed = Number(process.env['FUZZ_SEED'] ?? 20261125);
const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number): T[] => fc.sample(arbitrary, { seed, numRuns });

interface Outcome {
  out: string;
  error?: string;
}

/** Converts; anything thrown that is not an XmlSyntaxError with a position fails the test. */
function outcome(chunks: Uint8Array[], element?: string): Outcome {
  let out = '';
  try {
    parseSync(chunks, pipeline({ format: element === undefined ? 'json' : 'ndjson', element }, (text) => (out += text)));
    return { out };
  } catch (error) {
    expect(error).toBeInstanceOf(XmlSyntaxError);
    const { line, column, message } = error as XmlSyntaxError;
    expect(line).toBeGreaterThanOrEqual(1);
    expect(column).toBeGreaterThanOrEqual(0);
    expect(message).not.toContain('\n');
    return { out, error: message };
  }
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const cutsOf = (bytes: Uint8Array) => fc.sample(fc.array(fc.nat(bytes.length), { maxLength: 8 }), { seed: seed + bytes.length, numRuns: 1 })[0]!;

/** The same outcome whether the bytes come at once, in random pieces, or one by one. */
function expectChunkingIrrelevant(bytes: Uint8Array, whole: Outcome, element?: string): void {
  expect(outcome(splitAt(bytes, cutsOf(bytes)), element)).toEqual(whole);
  expect(outcome([...bytes].map((b) => Uint8Array.of(b)), element)).toEqual(whole);
}

/** Our outcome agrees with xmltodict's: both accept with the same JSON, or both reject. */
function expectOracle(docs: Uint8Array[]): void {
  const verdicts = xmltodict(docs);
  const disagreements: string[] = [];
  docs.forEach((bytes, i) => {
    const ours = outcome([bytes]);
    const theirs = verdicts[i]!;
    // xmltodict expands an entity declared in the DTD; we refuse to, by design (DESIGN.md)
    const refused = ours.error !== undefined && ENTITY_REFUSED.test(ours.error);
    const ok = 'json' in theirs ? refused || (ours.error === undefined && JSON.stringify(JSON.parse(ours.out)) === JSON.stringify(JSON.parse(theirs.json))) : ours.error !== undefined;
    if (!ok) disagreements.push(`${JSON.stringify(Buffer.from(bytes).toString('utf8'))}\n  ours: ${ours.error ?? ours.out.trim()}\n  xmltodict: ${'json' in theirs ? theirs.json : theirs.error}`);
  });
  expect(disagreements).toEqual([]);
}

describe('fuzzing the library', () => {
  it('well-formed documents convert as xmltodict converts them, however they are split', () => {
    const docs = sample(wellFormed, 300).map(utf8);
    expectOracle(docs);
    for (const bytes of docs) expectChunkingIrrelevant(bytes, outcome([bytes]));
  });

  it('mutated documents: the conversion xmltodict gives, or one clean error where it fails too', () => {
    const docs = sample(mutated, 600).map(utf8);
    expectOracle(docs);
    for (const bytes of docs) expectChunkingIrrelevant(bytes, outcome([bytes]));
  });

  it('mutated documents in record mode: the records before a fault, then one clean error, however split', () => {
    for (const bytes of sample(mutated, 300).map(utf8)) {
      const whole = outcome([bytes], 'b');
      for (const line of whole.out.split('\n').slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
      expectChunkingIrrelevant(bytes, whole, 'b');
    }
  });

  it('token soup: agrees with xmltodict, however split', () => {
    const docs = sample(soup, 600).map(utf8);
    expectOracle(docs);
    for (const bytes of docs) expectChunkingIrrelevant(bytes, outcome([bytes]));
  });

  it('random bytes: a conversion or one clean error, however split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 8 }), (bytes, cuts) => {
        const whole = outcome([bytes]);
        expect(outcome(splitAt(bytes, cuts.map((c) => c % (bytes.length + 1))))).toEqual(whole);
      }),
      { seed, numRuns: 2000 },
    );
  });
});

describe('fuzzing the CLI', () => {
  it('mutated documents: the library\'s output on stdout, and its error as one line on stderr, exit 1', async () => {
    for (const doc of sample(mutated, 25)) {
      const bytes = utf8(doc);
      const expected = outcome([bytes], 'b');
      const ran = await runBin(['-e', 'b', '-f', 'ndjson'], bytes);
      expect(ran).toEqual(expected.error === undefined ? { code: 0, stdout: expected.out, stderr: '' } : { code: 1, stdout: expected.out, stderr: `xml2json: <stdin>:${expected.error}\n` });
    }
  }, 60_000);
});
