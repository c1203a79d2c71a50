// What an ETL script calls: convert() for a document in memory, records() for a stream of records.
// Both are the CLI's chain (chain.ts) with a different sink.

import { recordChain } from './chain.js';
import { type Coroutine, close, coroutine } from './coroutine.js';
import type { XmlEvent } from './events.js';
import { fileURLToPath } from 'node:url';
import { type SourceInput, sourceOf } from './io/source.js';
import { type Chunk, type FeedOptions, type ParseOptions, feed, parse as parseChunks, parseSync } from './driver.js';
import { CONVERT_OPTIONS, type Check, PARSER_OPTIONS, RECORDS_OPTIONS, checkOptions, expect, isCallback } from './options.js';
import type { Where } from './query.js';
import { type ShapeSource, parseShape } from './shape.js';
import type { BuildOptions, Json } from './stages/build.js';

export type { SourceInput } from './io/source.js';
export type { Where } from './query.js';

/** Options of the JSON convention (passed to the builder as they are) and of the parser. */
export type ConvertOptions = BuildOptions & FeedOptions;

/** `R` is the type you expect a record to have (the parser does not check it); by default any JSON value. */
export interface RecordsOptions<R = Json> extends ConvertOptions {
  /** the records: every outermost element with this name (or one of these names), or the elements at this absolute /path */
  element: string | readonly string[];
  /** fields that must all hold, meaning what -w means (`{ route: '22', 'stop.@id': 7, finalStop: /^Navy/ }`), or a test */
  where?: Where<R> | undefined;
  /** only the first `limit` records kept (after `where`); then the source is read no further */
  limit?: number | undefined;
  /** every record one shape, as --shape: what `--paths -f json` wrote (its text, or parsed), or the hand-written list */
  shape?: ShapeSource | undefined;
  /** worker threads for a file (0: every core): its byte ranges are read side by side, the records come in document order @default 1 */
  jobs?: number | undefined;
}

/** A sink that gathers what it is sent into an array. */
export function gather<T>(into: T[]): Coroutine<T> {
  return coroutine(function* (): Generator<unknown, void, T> {
    for (;;) into.push(yield);
  })();
}

// parse()'s are the driver's ParseOptions: the parser's, and the hooks of a sink's backpressure and --limit.
const PARSE_OPTIONS: Readonly<Record<string, Check>> = {
  ...PARSER_OPTIONS,
  drained: isCallback,
  stop: isCallback,
  skip: expect((value) => value !== null && typeof value === 'object', 'a RecordSkipper'),
};

/** The options, checked; `limits.maxRecord` and `maxRecord` are one limit. Throws TypeError naming the option. */
function checked<O extends ConvertOptions>(entry: string, options: O, checks: Readonly<Record<string, Check>>): O {
  checkOptions(entry, options ?? null, checks);
  const { maxRecord, limits } = options;
  if (maxRecord !== undefined && limits?.maxRecord !== undefined && maxRecord !== limits.maxRecord) throw new TypeError(`${entry}: option maxRecord is given twice, as ${maxRecord} and as limits.maxRecord ${limits.maxRecord}`);
  return { ...options, maxRecord: maxRecord ?? limits?.maxRecord };
}

/** records()'s options, checked for records() and the streams (`entry` names the caller in errors). */
export function checkedRecords<R>(entry: string, options: RecordsOptions<R>): RecordsOptions<R> {
  if (options?.element === undefined) throw new TypeError(`${entry}: options.element names the records, e.g. { element: 'bus' }`);
  return checked(entry, options, RECORDS_OPTIONS);
}

/** records()'s chain after the parser; `onLimit` is told when `limit` records are kept. */
export function recordsChain<R>(entry: string, options: RecordsOptions<R>, target: Coroutine<Json>, onLimit?: () => void): Coroutine<XmlEvent> {
  const { shape, ...checkedOptions } = checkedRecords(entry, options) as RecordsOptions;
  return recordChain({ ...checkedOptions, shape: shape === undefined ? undefined : parseShape(shape), onLimit }, target);
}

/** The whole document's JSON value, e.g. `convert('<a x="1">t</a>')` is `{ a: { '@x': '1', '#text': 't' } }`. */
export function convert<T = Json>(xml: string | Uint8Array, options: ConvertOptions = {}): T {
  if (typeof xml !== 'string' && !(xml instanceof Uint8Array)) throw new TypeError(`convert(): the XML is a string or bytes (a Uint8Array, a Buffer), got ${xml === null ? 'null' : typeof xml}`);
  const values: Json[] = [];
  const checkedOptions = checked('convert()', options, CONVERT_OPTIONS);
  parseSync([xml], recordChain(checkedOptions, gather(values)), checkedOptions);
  return values[0] as T; // a document that parsed has exactly one root
}

/**
 * The records of a source, one at a time, in the memory of one chunk's records. The source is read a
 * chunk per pull; leaving the loop early (or `limit`) stops reading and closes the source. A fault in the XML
 * rejects the iteration with an XmlSyntaxError after every record completed before it.
 */
export async function* records<R = Json>(source: SourceInput, options: RecordsOptions<R>): AsyncGenerator<R, void, undefined> {
  if (options?.jobs !== undefined && options.jobs !== 1 && (typeof source === 'string' || source instanceof URL)) {
    const { jobsOf, recordsOnWorkers } = await import('./parallel/inputs.js');
    const { jobs, ...rest } = checkedRecords('records()', options);
    const onWorkers = recordsOnWorkers(typeof source === 'string' ? source : fileURLToPath(source), rest as RecordsOptions, jobsOf(jobs!));
    if (onWorkers !== undefined) return yield* onWorkers as AsyncGenerator<R>;
  }
  const queue: R[] = [];
  let enough = false;
  const chain = recordsChain('records()', options, gather(queue as Json[]), () => (enough = true));
  const input = sourceOf(source); // inside the generator: nothing opens until the first pull
  const parser = feed(chain, { ...options, file: options.file ?? input.name });
  const chunks = input.chunks[Symbol.asyncIterator]();
  // Runs one step of the parser, then hands over what it completed — also when the step failed.
  function* step(write: () => void): Generator<R, void, undefined> {
    try {
      write();
    } catch (fault) {
      if (!enough) throw fault; // after `limit` records, the rest need not have been read
    } finally {
      yield* queue.splice(0);
    }
  }
  let complete = false;
  try {
    for (;;) {
      const next: IteratorResult<Chunk> = await chunks.next();
      if (next.done === true) break;
      yield* step(() => parser.write(next.value));
      if (enough) return; // `limit` records: the source is closed unread
    }
    yield* step(() => parser.end());
    complete = true;
  } finally {
    if (!complete) {
      close(chain); // a stage of the chain may hold something to release
      await chunks.return?.(); // stops reading; a file or stream is closed
    }
  }
}

/**
 * The course's `expat_parse(f, target)`: parses a source (a path, a URL, a stream, an iterable of chunks)
 * into any chain of stages, one chunk at a time, and closes the chain at the end. Rejects with the first
 * fault, after throwing it into the chain so that every stage's `finally` has run.
 */
export async function parse(source: SourceInput, target: Coroutine<XmlEvent>, options: ParseOptions = {}): Promise<void> {
  checkOptions('parse()', options, PARSE_OPTIONS);
  const input = sourceOf(source);
  await parseChunks(input.chunks, target, { ...options, file: options.file ?? input.name });
}
