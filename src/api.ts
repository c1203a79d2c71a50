// What an ETL script calls: convert() for a document in memory, records() for a stream of records.
// Both are the CLI's chain (chain.ts) with a different sink.

import { recordChain } from './chain.js';
import { type Coroutine, close, coroutine } from './coroutine.js';
import type { XmlEvent } from './events.js';
import { type SourceInput, sourceOf } from './io/source.js';
import { type Chunk, type FeedOptions, feed } from './parse/feed.js';
import { type ParseOptions, parse as parseChunks, parseSync } from './parse/parse.js';
import type { Where } from './query.js';
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
}

/** A sink that gathers what it is sent into an array. */
export function gather<T>(into: T[]): Coroutine<T> {
  return coroutine(function* (): Generator<unknown, void, T> {
    for (;;) into.push(yield);
  })();
}

/** records()'s chain after the parser, for records() and the streams. */
export function recordsChain<R>(options: RecordsOptions<R>, target: Coroutine<Json>): Coroutine<XmlEvent> {
  if (options.element === undefined || options.element === '') throw new TypeError("records(): options.element names the records, e.g. { element: 'bus' }");
  return recordChain(options as RecordsOptions, target);
}

/** The whole document's JSON value, e.g. `convert('<a x="1">t</a>')` is `{ a: { '@x': '1', '#text': 't' } }`. */
export function convert<T = Json>(xml: string | Uint8Array, options: ConvertOptions = {}): T {
  const values: Json[] = [];
  parseSync([xml], recordChain({ ...options, element: undefined }, gather(values)), options);
  return values[0] as T; // a document that parsed has exactly one root
}

/**
 * The records of a source, one at a time, in the memory of one chunk's records. The source is read a
 * chunk per pull; leaving the loop early stops reading and closes the source. A fault in the XML
 * rejects the iteration with an XmlSyntaxError after every record completed before it.
 */
export async function* records<R = Json>(source: SourceInput, options: RecordsOptions<R>): AsyncGenerator<R, void, undefined> {
  const queue: R[] = [];
  const chain = recordsChain(options, gather(queue as Json[]));
  const input = sourceOf(source); // inside the generator: nothing opens until the first pull
  const parser = feed(chain, { ...options, file: options.file ?? input.name });
  const chunks = input.chunks[Symbol.asyncIterator]();
  // Runs one step of the parser, then hands over what it completed — also when the step failed.
  function* step(write: () => void): Generator<R, void, undefined> {
    try {
      write();
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
  const input = sourceOf(source);
  await parseChunks(input.chunks, target, { ...options, file: options.file ?? input.name });
}
