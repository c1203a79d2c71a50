// The one place the chain is composed, target last, as the course's buses.py does:
//
//   bytes ─▶ decode ─▶ tokenizer ─▶ adapter ─▶ buildElements ─▶ tally ─▶ where… ─▶ asObject ─▶ project ─▶ coerceValues ─▶ emitCsv / emitJson… / emitCount ─▶ write
//
// (decode, the tokenizer and the adapter are the driver's, src/driver.ts and src/xml/; this file builds the stages after them.)

import { type Coroutine, close, coroutine, send } from './coroutine.js';
import type { XmlEvent } from './events.js';
import { type BuildOptions, type Json, TEXT_KEY, buildElements, coerceValues, recordSelector } from './stages/build.js';
import { emitCount, tally } from './stages/count.js';
import { emitCsv } from './stages/emit-csv.js';
import { type Write, emitJsonArray, emitJsonLines } from './stages/emit-json.js';
import { asObject } from './stages/as-object.js';
import { project } from './stages/project.js';
import { where, whereField } from './stages/where.js';

export type Format = 'json' | 'ndjson' | 'csv';

export interface PipelineOptions extends BuildOptions {
  /** record mode: an element name, or an absolute /path; absent: the whole document */
  element?: string | undefined;
  /** [field, value] pairs, or tests of a record, that must all hold */
  where?: ReadonlyArray<readonly [string, string] | ((record: Json) => boolean)>;
  format: Format;
  /** CSV columns; for json and ndjson, the fields each record is cut down to */
  fields?: readonly string[] | undefined;
  /** indent JSON by this many spaces */
  indent?: number | undefined;
  /** write only the number of records */
  count?: boolean | undefined;
  /** json: an array even of whole documents (several inputs make one array) */
  array?: boolean | undefined;
  /** told of each record the builder makes, before any filter */
  onRecord?: (() => void) | undefined;
}

function emitter(options: PipelineOptions, write: Write): Coroutine<Json> {
  if (options.count === true) return emitCount(write);
  if (options.format === 'csv') return emitCsv(options.fields, write);
  if (options.format === 'json' && (options.element !== undefined || options.array === true)) return emitJsonArray(write, options.indent);
  return emitJsonLines(write, options.indent);
}

/** The chain after the builder: filters → projection → coercion → emitter. */
export function recordsTo(options: PipelineOptions, write: Write): Coroutine<Json> {
  let chain = emitter(options, write);
  if (options.count !== true) {
    // coerced after the filters, which compare the text as written
    if (options.coerce === true) chain = coerceValues(chain);
    if (options.fields !== undefined) chain = project(options.fields, chain);
    // fields and columns see a record that is only text as {"#text": text}, as if it had attributes
    if (options.fields !== undefined || options.format === 'csv') chain = asObject(options.textKey ?? TEXT_KEY, chain);
  }
  for (const test of [...(options.where ?? [])].reverse()) {
    chain = typeof test === 'function' ? where(test, chain) : whereField(test[0], test[1], chain);
  }
  return options.onRecord === undefined ? chain : tally(options.onRecord, chain);
}

/** The chain from XmlEvents to text: builder → filters → emitter. */
export function pipeline(options: PipelineOptions, write: Write): Coroutine<XmlEvent> {
  const select = options.element === undefined ? undefined : recordSelector(options.element);
  return buildElements(select, { ...options, coerce: false }, recordsTo(options, write));
}

/**
 * Several inputs into one output: a builder per input, all sending to one shared rest of the chain,
 * which the end of an input does not close. `close()` ends the output (the JSON array's `]`).
 */
export function pipelineOfInputs(options: PipelineOptions, write: Write): { next(): Coroutine<XmlEvent>; close(): void } {
  const select = options.element === undefined ? undefined : recordSelector(options.element);
  const rest = recordsTo(options, write);
  return {
    next: () => buildElements(select, { ...options, coerce: false }, keepOpen(rest)),
    close: () => close(rest),
  };
}

/** Passes records on; being closed does not close its target (another input follows). */
const keepOpen = coroutine(function* (target: Coroutine<Json>) {
  for (;;) send(target, (yield) as Json);
});
