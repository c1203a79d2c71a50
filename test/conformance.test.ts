// The W3C XML conformance suite as an oracle: what must be rejected is, what is well-formed is
// accepted (unless it needs an entity expanded, which we refuse by design). The counts may only go up.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, convert } from './conformance/backends.js';
import { type Case, type Outcome, conformanceCases, runCases } from './conformance/suite.js';

// Reached on 2026-12-01; README's "Errors and hostile input" states them. Raise them, never lower them.
// Our tokenizer rejects every malformed document; sax, the course's parser, is kept thin on purpose.
const FLOOR: Record<Backend, { rejected: number; accepted: number }> = {
  cosax: { rejected: 862, accepted: 361 },
  sax: { rejected: 318, accepted: 353 },
};

let cases: Case[];
beforeAll(async () => {
  cases = await conformanceCases();
});

describe.each(BACKENDS)('the W3C conformance suite, XML 1.0 5th edition, with %s', (backend) => {
  let outcome: Outcome;
  beforeAll(() => {
    outcome = runCases(cases, (bytes) => convert(backend, [bytes]));
  });

  it('has the documents it should: not-wf, valid and invalid, without external entities', () => {
    expect(outcome.malformed).toBe(862);
    expect(outcome.wellFormed).toBe(396);
  });

  it(`rejects at least ${FLOOR[backend].rejected} of the malformed documents`, () => {
    expect(outcome.rejected).toBeGreaterThanOrEqual(FLOOR[backend].rejected);
  });

  it(`accepts at least ${FLOOR[backend].accepted} of the well-formed documents`, () => {
    expect(outcome.accepted).toBeGreaterThanOrEqual(FLOOR[backend].accepted);
  });

  it('gives the same outcome, to the letter, when the bytes come one or seven at a time', () => {
    const outcomeOf = (chunks: Uint8Array[]): string => {
      try {
        return convert(backend, chunks);
      } catch (error) {
        return `error: ${(error as Error).message}`;
      }
    };
    const split = (bytes: Uint8Array, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
    const differ = cases.filter(({ bytes }) => {
      const whole = outcomeOf([bytes]);
      return outcomeOf(split(bytes, 1)) !== whole || outcomeOf(split(bytes, 7)) !== whole;
    });
    expect(differ.map((c) => c.id)).toEqual([]);
  });
});

describe('the W3C conformance suite, with our own tokenizer', () => {
  let outcome: Outcome;
  beforeAll(() => {
    outcome = runCases(cases, (bytes) => convert('cosax', [bytes]));
  });

  it('accepts every well-formed document but those that need a DTD entity expanded, which it names', () => {
    expect(outcome.wrong.filter((w) => w.wellFormed)).toEqual([]);
    expect(outcome.accepted + outcome.refusedEntities).toBe(outcome.wellFormed);
  });

  it('places every fault: a line and a column, both 1-based', () => {
    const unplaced = cases.filter((c) => !c.wellFormed).filter(({ bytes }) => {
      try {
        convert('cosax', [bytes]);
        return true;
      } catch (error) {
        const { line, column } = error as { line?: number; column?: number };
        return !(Number.isInteger(line) && line! >= 1 && Number.isInteger(column) && column! >= 1);
      }
    });
    expect(unplaced.map((c) => c.id)).toEqual([]);
  });
});
