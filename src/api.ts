// What an ETL script calls: convert() for a document in memory, records() for a stream of records.
// Both are the same chain as the CLI's — buildElements ▶ filters ▶ a sink — with a different sink.

import { type Coroutine, close, coroutine } from './coroutine.js';
import type { XmlEvent } from './events.js';
import { type SourceInput, sourceOf } from './io/source.js';
import { type Chunk, type FeedOptions, type ParseOptions, feed, parse as parseChunks, parseSync } from './driver.js';
import { type BuildOptions, type Json, buildElements, recordSelector } from './stages/build.js';
import { fieldOf, where as whereTest } from './stages/where.js';

export type { SourceInput } from './io/source.js';

/** Options of the JSON convention (passed to the builder as they are) and of the parser. */
export type ConvertOptions = BuildOptions & FeedOptions;

/**
 * Which records to keep: every field must equal its value, compared as text (so `{ route: 22 }` also
 * matches when `coerce` made the field a number), or the test must say yes.
 */
export type Where<R = Json> = Readonly<Record<string, string | number | boolean>> | ((record: R) => boolean);

/** `R` is the type you expect a record to have (the parser does not check it); by default any JSON value. */
export interface RecordsOptions<R = Json> extends ConvertOptions {
  /** the records: every outermost element with this name, or the elements at this absolute /path */
  element: string;
  where?: Where<R> | undefined;
}

/** A field's value as text when it is a string, number or boolean; nothing to compare otherwise. */
function asText(value: Json | undefined): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** A sink that gathers what it is sent into an array. */
export function gather<T>(into: T[]): Coroutine<T> {
  return coroutine(function* (): Generator<unknown, void, T> {
    for (;;) into.push(yield);
  })();
}

/** The chain after the parser: builder ▶ filters ▶ `target`. */
export function recordChain<R>(options: RecordsOptions<R>, target: Coroutine<Json>): Coroutine<XmlEvent> {
  const { element, where, ...build } = options;
  if (typeof element !== 'string' || element === '') throw new TypeError("records(): options.element names the records, e.g. { element: 'bus' }");
  let filtered = target;
  if (typeof where === 'function') filtered = whereTest(where as (record: Json) => boolean, target);
  else if (where !== undefined) {
    const wanted = Object.entries(where).map(([field, value]) => [field, String(value)] as const);
    filtered = whereTest((record) => wanted.every(([field, value]) => asText(fieldOf(record, field)) === value), target);
  }
  return buildElements(recordSelector(element), build, filtered);
}

/** The whole document's JSON value, e.g. `convert('<a x="1">t</a>')` is `{ a: { '@x': '1', '#text': 't' } }`. */
export function convert<T = Json>(xml: string | Uint8Array, options: ConvertOptions = {}): T {
  const values: Json[] = [];
  parseSync([xml], buildElements(undefined, options, gather(values)), options);
  return values[0] as T; // a document that parsed has exactly one root
}

/**
 * The records of a source, one at a time, in the memory of one chunk's records. The source is read a
 * chunk per pull; leaving the loop early stops reading and closes the source. A fault in the XML
 * rejects the iteration with an XmlSyntaxError after every record completed before it.
 */
export async function* records<R = Json>(source: SourceInput, options: RecordsOptions<R>): AsyncGenerator<R, void, undefined> {
  const queue: R[] = [];
  const chain = recordChain(options, gather(queue as Json[]));
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
