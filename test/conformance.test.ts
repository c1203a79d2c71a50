// The W3C XML conformance suite as an oracle: what must be rejected is, what is well-formed is
// accepted (unless it needs an entity expanded, which we refuse by design). The counts may only go up.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, convert } from './conformance/backends.js';
import { type Case, type Outcome, conformanceCases, runCases } from './conformance/suite.js';

// Reached on 2026-11-25; README's "Errors and hostile input" states them. Raise them, never lower them.
const FLOOR: Record<Backend, { rejected: number; accepted: number }> = {
  sax: { rejected: 860, accepted: 361 },
  saxes: { rejected: 860, accepted: 361 },
};
// Well-formed documents a backend wrongly rejects, for a bug of its own (README lists them).
const KNOWN_REJECTED: Record<Backend, string[]> = {
  sax: [],
  saxes: [],
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

  it('accepts every well-formed document, but those that need a DTD entity expanded, which it names', () => {
    expect(outcome.accepted).toBeGreaterThanOrEqual(FLOOR[backend].accepted);
    const wronglyRejected = outcome.wrong.filter((w) => w.wellFormed).map((w) => w.id);
    expect(wronglyRejected).toEqual(KNOWN_REJECTED[backend]);
    expect(outcome.accepted + outcome.refusedEntities + wronglyRejected.length).toBe(outcome.wellFormed);
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
