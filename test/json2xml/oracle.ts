// Differential testing of the way back against xmltodict's unparse (Debian's python3-xmltodict, run by
// /usr/bin/python3): unparsed() sends a batch of JSON texts to one Python process; ours() is our side.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { XmlRecordOptions } from '../../src/json/xml-writer.js';
import { parseJson } from '../../src/json/parse.js';
import { toXml } from '../../src/to-xml.js';

/** unparse's own options, as Python spells them. */
export interface UnparseOptions {
  pretty?: boolean;
  indent?: string;
  newl?: string;
  full_document?: boolean;
  short_empty_elements?: boolean;
  attr_prefix?: string;
  cdata_key?: string;
}

export interface Request {
  /** JSON text, read by json.loads on their side and by our reader on ours */
  json: string;
  opts?: UnparseOptions;
  /** the value is a list of records, written inside `root` (as `item`, or under their own keys) */
  records?: { root: string; item?: string };
}

/**
 * What xmltodict says: its XML, whether expat reads it (`wellFormed`), and whether it holds Python's
 * repr of a value (a list in a list, an attribute that is null or an object); or its exception.
 */
export type Verdict = { ok: true; xml: string; wellFormed: boolean; repr: boolean } | { ok: false; error: string };

const ORACLE = fileURLToPath(new URL('./oracle.py', import.meta.url));
const PYTHON = '/usr/bin/python3'; // Debian's, where python3-xmltodict is installed

/** xmltodict's verdicts, in order: one Python process for the whole batch. */
export function unparsed(requests: readonly Request[]): Verdict[] {
  const input = requests.map((request) => JSON.stringify({ json: request.json, opts: request.opts ?? {}, records: request.records ?? null })).join('\n');
  const run = spawnSync(PYTHON, [ORACLE], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`oracle failed (${PYTHON} ${ORACLE}): ${run.stderr || run.error}`);
  const lines = run.stdout.trimEnd().split('\n');
  if (lines.length !== requests.length) throw new Error(`oracle answered ${lines.length} of ${requests.length}`);
  return lines.map((line) => JSON.parse(line) as Verdict);
}

/** Our options for unparse's. */
export function xmlOptions(opts: UnparseOptions = {}): XmlRecordOptions {
  return { pretty: opts.pretty, indent: opts.indent, newline: opts.newl, fullDocument: opts.full_document, shortEmptyElements: opts.short_empty_elements, attrPrefix: opts.attr_prefix, textKey: opts.cdata_key };
}

/** Our XML for the same request, from the same JSON text, or our error's code. */
export function ours(request: Request): { ok: true; xml: string } | { ok: false; code: string; message: string } {
  try {
    return { ok: true, xml: toXml(parseJson(request.json), { ...xmlOptions(request.opts), ...request.records }) };
  } catch (error) {
    return { ok: false, code: (error as { code: string }).code, message: String(error) };
  }
}
