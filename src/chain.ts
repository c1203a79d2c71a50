// The one composition of the chain, target last, as the course's buses.py does. The CLI, convert(),
// records() and the streams all build theirs here, so that an option means the same everywhere:
//
//   bytes ─▶ decode ─▶ tokenizer ─▶ adapter ─▶ buildElements ─▶ shapeRecords ─▶ tally ─▶ where ─▶ limit ─▶ coerceValues ─▶ project / asObject ─▶ withFile ─▶ emitCsv / emitJson… / emitCount, or the caller's target
//
// (decode, the tokenizer and the adapter are the driver's, src/driver.ts and src/xml/; this file builds the stages after them.)

import { type Coroutine, close, coroutine, send } from './coroutine.js';
import type { XmlEvent } from './events.js';
import { ElementInventory, type InventoryOptions, pathsJson, pathsTable } from './inventory.js';
import { type ElementSelector, type Test, type Where, fieldPath, recordSelector, whereTest } from './query.js';
import { asObject } from './stages/as-object.js';
import { type BuildOptions, type BuilderOptions, type Json, TEXT_KEY, buildElements, coerceValues } from './stages/build.js';
import { emitCount, tally } from './stages/count.js';
import { emitCsv } from './stages/emit-csv.js';
import { takeInventory } from './stages/inventory.js';
import { type Write, emitJsonArray, emitJsonLines } from './stages/emit-json.js';
import { limit } from './stages/limit.js';
import { BUILD_OPTIONS, type Check, SELECTION_OPTIONS, checkOptions, expect, isCallback, isFlag, isText } from './options.js';
import { project } from './stages/project.js';
import { shapeRecords } from './stages/shape.js';
import type { Shape } from './shape.js';
import { where } from './stages/where.js';
import { FILE_COLUMN, withFile } from './stages/with-file.js';

export type Format = 'json' | 'ndjson' | 'csv';

/** Which records, kept by what, cut down to which fields: the part of a chain before its emitter. */
export interface RecordOptions extends BuildOptions {
  /** record mode: element names or absolute /paths (outermost matches); absent: the whole document */
  element?: string | readonly string[] | undefined;
  /** fields that must all hold (as -w: `{ route: '22' }` is `-w route=22`), or a test; sees the text before coercion */
  where?: Where | undefined;
  /** the fields each record is cut down to (and for csv, the columns) */
  fields?: readonly string[] | undefined;
  /** told of each record the builder makes, before any filter */
  onRecord?: (() => void) | undefined;
  /** keep only the first `limit` records that pass `where` */
  limit?: number | undefined;
  /** told once `limit` records are kept: reading can stop */
  onLimit?: (() => void) | undefined;
  /** told of each record kept, after `where` and `limit` (-j's --limit counts them) */
  onKept?: (() => void) | undefined;
  /** every record made to this shape (shape.ts), before anything sees it */
  shape?: Shape | undefined;
}

export interface PipelineOptions extends RecordOptions {
  /** @default "json" */
  format?: Format | undefined;
  /** indent JSON by this many spaces */
  indent?: number | undefined;
  /** write only the number of records */
  count?: boolean | undefined;
  /** json: an array even of whole documents (several inputs make one array) */
  array?: boolean | undefined;
  /** each record as {"file": …, "record": …} (csv: a first column #file), `file` or each input's name */
  withFile?: boolean | undefined;
  file?: string | undefined;
}

/** The stages after the builder, ending in `target`: shape ▶ filter ▶ limit ▶ coercion ▶ projection ▶ file. `file`: the input's name. */
function recordsTo(options: PipelineOptions, test: Test | undefined, target: Coroutine<Json>, file: () => string = () => options.file ?? ''): Coroutine<Json> {
  let chain = target;
  if (options.count !== true) {
    if (options.withFile === true) chain = withFile(file, options.format === 'csv', chain);
    if (options.fields !== undefined) chain = project(options.fields, options, chain);
    // csv's columns see a record that is only text as {"#text": text}, as if it had attributes
    else if (options.format === 'csv') chain = asObject(options.textKey ?? TEXT_KEY, chain);
    // coerced after the filter, which compares the text as written
    if (options.coerce === true) chain = coerceValues(chain);
  }
  if (options.onKept !== undefined) chain = tally(options.onKept, chain);
  if (options.limit !== undefined) chain = limit(options.limit, options.onLimit ?? (() => undefined), chain);
  if (test !== undefined) chain = where(test, chain);
  if (options.onRecord !== undefined) chain = tally(options.onRecord, chain);
  if (options.shape === undefined) return chain;
  const element = typeof options.element === 'string' ? [options.element] : options.element;
  return shapeRecords(options.shape, { ...options, element }, chain);
}

function selectorOf(options: RecordOptions, inventory?: ElementInventory, onStart?: () => void): ElementSelector | undefined {
  return options.element === undefined ? undefined : recordSelector(options.element, inventory, onStart);
}

/** XmlEvents to records, sent to `target` (records(), convert() and the streams); `onStart` as recordSelector's. */
export function recordChain(options: RecordOptions, target: Coroutine<Json>, onStart?: () => void): Coroutine<XmlEvent> {
  const test = testOf(options);
  return buildElements(selectorOf(options, undefined, onStart), builderOptions(options, test), recordsTo(options, test, target));
}

function testOf(options: RecordOptions): Test | undefined {
  return options.where === undefined ? undefined : whereTest(options.where, options);
}

/** The builder's options: coercion comes after the filters; only the children the stages read are built. */
function builderOptions(options: PipelineOptions, test: Test | undefined): BuilderOptions {
  return { ...options, coerce: false, children: childrenRead(options, test) };
}

/**
 * The names of a record's children that the stages after the builder read: the first steps of
 * --fields and of -w's paths (--count reads only -w's). Undefined when they may read all of it: no
 * --fields, a where test of the caller's own (a function), or a shape. (The builder itself builds
 * everything of a whole document and of records tagged with their name.)
 */
function childrenRead(options: PipelineOptions, test: Test | undefined): Set<string> | undefined {
  if (options.shape !== undefined || (options.fields === undefined && options.count !== true)) return undefined;
  if (test !== undefined && test.reads === undefined) return undefined;
  const fields = options.count === true ? [] : options.fields!.map((field) => fieldPath(field, options));
  return new Set([...fields, ...(test?.reads ?? [])].map((path) => path[0]!));
}

function emitter(options: PipelineOptions, write: Write): Coroutine<Json> {
  if (options.count === true) return emitCount(write);
  if (options.format === 'csv') return emitCsv(options.withFile === true && options.fields !== undefined ? [FILE_COLUMN, ...options.fields] : options.fields, write);
  if ((options.format ?? 'json') === 'json' && (options.element !== undefined || options.array === true)) return emitJsonArray(write, options.indent);
  return emitJsonLines(write, options.indent);
}

/** XmlEvents to text: the command line's chain, from its options. */
export function pipeline(options: PipelineOptions, write: Write): Coroutine<XmlEvent> {
  checkOptions('pipeline()', options ?? null, PIPELINE_OPTIONS);
  return pipelineUnchecked(options, write);
}

/** pipeline() for options already checked (a worker's, from the command line's). */
export function pipelineUnchecked(options: PipelineOptions, write: Write): Coroutine<XmlEvent> {
  return recordChain(options, emitter(options, write));
}

const PIPELINE_OPTIONS: Readonly<Record<string, Check>> = {
  ...BUILD_OPTIONS,
  ...SELECTION_OPTIONS,
  fields: expect((value) => Array.isArray(value) && value.every((field) => typeof field === 'string') && new Set(value).size === value.length, 'an array of field paths, each once'),
  onRecord: isCallback,
  onLimit: isCallback,
  onKept: isCallback,
  shape: expect((value) => value !== null && typeof value === 'object', 'a Shape (parseShape())'),
  format: expect((value) => value === 'json' || value === 'ndjson' || value === 'csv', '"json", "ndjson" or "csv"'),
  indent: expect((value) => Number.isSafeInteger(value) && (value as number) >= 0, 'a number of spaces'),
  count: isFlag,
  array: isFlag,
  withFile: isFlag,
  file: isText,
};

/** One input's head of the chain, and what its selector saw. */
export interface InputChain {
  events: Coroutine<XmlEvent>;
  /** undefined without `element` */
  selector: ElementSelector | undefined;
  /** the elements passed by before the first record (all of them, when none was found) */
  inventory: ElementInventory;
}

/**
 * Several inputs into one output: a builder per input, all sending to one shared rest of the chain,
 * which the end of an input does not close. `close()` ends the output (the JSON array's `]`).
 */
export function pipelineOfInputs(options: PipelineOptions, write: Write): { next(onStart?: () => void, file?: string): InputChain; close(): void } {
  let current = options.file ?? '';
  const test = testOf(options);
  const rest = recordsTo(options, test, emitter(options, write), () => current);
  return {
    /** `onStart`: told of each record's start in this input, as recordSelector's; `file`: its name (withFile) */
    next(onStart, file) {
      if (file !== undefined) current = file;
      const inventory = new ElementInventory();
      const selector = selectorOf(options, inventory, onStart);
      return { events: buildElements(selector, builderOptions(options, test), keepOpen(rest)), selector, inventory };
    },
    close: () => close(rest),
  };
}

/** --paths: the elements of every input into one inventory; `close()` writes it, as a table or as JSON. */
export function pathsOfInputs(options: InventoryOptions & { json?: boolean | undefined; indent?: number | undefined }, write: Write): { next(): InputChain; close(): void } {
  const inventory = new ElementInventory(options);
  let closed = false;
  return {
    next: () => ({ events: takeInventory(inventory), selector: undefined, inventory }),
    close() {
      if (closed) return;
      closed = true;
      write(options.json === true ? pathsJson(inventory, options.indent) : pathsTable(inventory));
    },
  };
}

/** Passes records on; being closed does not close its target (another input follows). */
const keepOpen = coroutine(function* (target: Coroutine<Json>) {
  for (;;) send(target, (yield) as Json);
});
