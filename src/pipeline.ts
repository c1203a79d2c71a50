// The one place the chain is composed, target last, as the course's buses.py does:
//
//   bytes ─▶ decode ─▶ sax ─▶ adapter ─▶ buildElements ─▶ whereField … ─▶ emitCsv / emitJson… ─▶ write
//
// (decode, sax and the adapter are the driver's, in parse/; this file builds the stages after them.)

import type { Coroutine } from './coroutine.js';
import type { XmlEvent } from './events.js';
import { type BuildOptions, type Json, buildElements, coerceValues, recordSelector } from './stages/build.js';
import { emitCsv } from './stages/emit-csv.js';
import { type Write, emitJsonArray, emitJsonLines } from './stages/emit-json.js';
import { whereField } from './stages/where.js';

export type Format = 'json' | 'ndjson' | 'csv';

export interface PipelineOptions extends BuildOptions {
  /** record mode: an element name, or an absolute /path; absent: the whole document */
  element?: string | undefined;
  /** [field, value] pairs that must all hold */
  where?: ReadonlyArray<readonly [string, string]>;
  format: Format;
  /** CSV columns */
  fields?: readonly string[] | undefined;
  /** indent JSON by this many spaces */
  indent?: number | undefined;
}

function emitter(options: PipelineOptions, write: Write): Coroutine<Json> {
  if (options.format === 'csv') return emitCsv(options.fields, write);
  if (options.format === 'json' && options.element !== undefined) return emitJsonArray(write, options.indent);
  return emitJsonLines(write, options.indent);
}

/** The chain from XmlEvents to text: builder → filters → emitter. */
export function pipeline(options: PipelineOptions, write: Write): Coroutine<XmlEvent> {
  const select = options.element === undefined ? undefined : recordSelector(options.element);
  const filters = options.where ?? [];
  // coerced after the filters, which compare the text as written
  return buildElements(select, { ...options, coerce: false },
    filters.reduceRight((target, [field, value]) => whereField(field, value, target),
    options.coerce === true ? coerceValues(emitter(options, write)) : emitter(options, write)));
}
