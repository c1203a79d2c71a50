// Differential testing against xmltodict (Debian's python3-xmltodict, run by /usr/bin/python3):
// judge() sends a batch of documents to one Python process; convertLikeXmltodict() is our side.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ParserName, parseSync } from '../../src/driver.js';
import { recordSelector } from '../../src/query.js';
import { type BuildOptions, type Json, buildElements } from '../../src/stages/build.js';
import { collect, splitAt } from '../helpers/collect.js';

export interface OracleOptions {
  attrPrefix?: string;
  textKey?: string;
  forceList?: string[];
  stripNs?: boolean;
}

export interface Request {
  xml: Uint8Array;
  opts?: OracleOptions;
  /** record selectors: NAME (outermost elements of that name) or /abs/path */
  select?: string[];
  /** our side reads the bytes in chunks cut at these offsets (the oracle reads them whole) */
  cuts?: number[];
}

/** What xmltodict says, or what we say: the whole document and each selector's records, as JSON text. */
export type Verdict = { ok: true; doc: string; records: Map<string, string> } | { ok: false; error: string };

const ORACLE = fileURLToPath(new URL('./oracle.py', import.meta.url));
const PYTHON = '/usr/bin/python3'; // Debian's, where python3-xmltodict is installed (not a pyenv one on PATH)

/** xmltodict's verdicts, in order: one Python process for the whole batch. */
export function judge(requests: readonly Request[]): Verdict[] {
  const input = requests
    .map((r) => JSON.stringify({ xml: Buffer.from(r.xml).toString('base64'), opts: r.opts ?? {}, select: r.select ?? [] }))
    .join('\n');
  const run = spawnSync(PYTHON, [ORACLE], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`oracle failed (${PYTHON} ${ORACLE}): ${run.stderr || run.error}`);
  const lines = run.stdout.trimEnd().split('\n');
  if (lines.length !== requests.length) throw new Error(`oracle answered ${lines.length} of ${requests.length}`);
  return lines.map((line) => {
    const answer = JSON.parse(line) as { ok: boolean; error?: string; doc?: Json; records?: Record<string, Json[]> };
    if (!answer.ok) return { ok: false, error: answer.error! };
    const records = new Map<string, string>(); // a Map: selectors such as `__proto__` are ordinary keys
    for (const [selector, values] of Object.entries(answer.records!)) records.set(selector, JSON.stringify(values));
    return { ok: true, doc: JSON.stringify(answer.doc), records };
  });
}

export function buildOptions(opts: OracleOptions = {}): BuildOptions {
  return { attrPrefix: opts.attrPrefix, textKey: opts.textKey, forceList: opts.forceList, stripNamespaces: opts.stripNs };
}

/** Our conversion of the same request, with this backend: the whole document, then each selector in record mode. */
export function ours(request: Request, parser: ParserName = 'cosax'): Verdict {
  const options = buildOptions(request.opts);
  const run = (selector: string | undefined): Json[] => {
    const out: Json[] = [];
    const builder = buildElements(selector === undefined ? undefined : recordSelector(selector), options, collect(out));
    parseSync(splitAt(request.xml, request.cuts ?? []), builder, { parser }); // closes the builder at the end
    return out;
  };
  try {
    const records = new Map<string, string>();
    for (const selector of request.select ?? []) records.set(selector, JSON.stringify(run(selector)));
    return { ok: true, doc: JSON.stringify(run(undefined)[0]), records };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** Where we and xmltodict disagree, as a readable line, or undefined. */
export function disagreement(theirs: Verdict, mine: Verdict): string | undefined {
  if (!theirs.ok || !mine.ok) {
    return theirs.ok === mine.ok ? undefined : `xmltodict: ${theirs.ok ? theirs.doc : theirs.error}\n   cosax: ${mine.ok ? mine.doc : mine.error}`;
  }
  if (theirs.doc !== mine.doc) return `whole document\nxmltodict: ${theirs.doc}\n   cosax: ${mine.doc}`;
  if (theirs.records.size !== mine.records.size) return `selectors: ${[...theirs.records.keys()]} vs ${[...mine.records.keys()]}`;
  for (const [selector, records] of theirs.records) {
    if (records !== mine.records.get(selector)) return `records ${selector}\nxmltodict: ${records}\n   cosax: ${mine.records.get(selector)}`;
  }
  return undefined;
}

