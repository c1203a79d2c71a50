// Sources: whatever a user has — a path, a URL, stdin, a Node Readable, a web ReadableStream, an
// (async) iterable of chunks — as one async iterable of chunks, gunzipped when it starts with
// gzip's magic bytes.

import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { Chunk } from '../driver.js';

export type SourceInput =
  | string
  | URL
  | Readable
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array | string>
  | Uint8Array
  | AsyncIterable<Chunk>
  | Iterable<Chunk>;

export interface Source {
  /** the name errors give: the path, or "<stdin>", or "<stream>" */
  name: string;
  chunks: AsyncIterable<Chunk>;
}

const CHUNK = 64 * 1024;

/** FILE, or stdin for "-" or no FILE (the CLI's inputs). */
export function openSource(file: string | undefined, stdin: Readable = process.stdin): Source {
  if (file === undefined || file === '-') return { name: '<stdin>', chunks: gunzipped(stdin) };
  return { name: file, chunks: gunzipped(createReadStream(file, { highWaterMark: CHUNK })) };
}

/** Any source a library user may hand us. A string is a path (not XML text: use convert() for that). */
export function sourceOf(input: SourceInput): Source {
  if (typeof input === 'string' || input instanceof URL) {
    const name = input instanceof URL ? fileURLToPath(input) : input;
    return { name, chunks: gunzipped(createReadStream(name, { highWaterMark: CHUNK })) };
  }
  if (typeof input !== 'object' || input === null) throw notASource();
  if (input instanceof Uint8Array) return { name: '<bytes>', chunks: gunzipped([input]) }; // iterable, but of numbers
  if (isWebStream(input)) return { name: '<stream>', chunks: gunzipped(Readable.fromWeb(input as import('node:stream/web').ReadableStream)) };
  if (Symbol.asyncIterator in input || Symbol.iterator in input) {
    return { name: '<stream>', chunks: gunzipped(input as AsyncIterable<Chunk>) };
  }
  throw notASource();
}

const notASource = () => new TypeError('cosax: a source is a path, a file: URL, bytes, a Readable, a ReadableStream or an (async) iterable of chunks');

function isWebStream(input: object): input is ReadableStream {
  return typeof (input as ReadableStream).getReader === 'function' && !(input instanceof Readable);
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Passes chunks through, or through gunzip when the first bytes are gzip's magic number. */
export async function* gunzipped(chunks: AsyncIterable<Chunk> | Iterable<Chunk>): AsyncGenerator<Chunk> {
  const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<Chunk>)[Symbol.iterator]()) as AsyncIterator<Chunk> | Iterator<Chunk>;
  const head: Chunk[] = [];
  let bytes = 0;
  let first: IteratorResult<Chunk>;
  // Look at the first two bytes (they may come in two chunks).
  while (bytes < GZIP_MAGIC.length && !(first = await iterator.next()).done) {
    head.push(first.value);
    bytes += first.value.length;
  }
  const rest: AsyncIterable<Chunk> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => (head.length > 0 ? { value: head.shift()!, done: false } : await iterator.next()),
      return: async () => {
        await iterator.return?.();
        return { value: undefined, done: true };
      },
    }),
  };
  if (!isGzip(head)) {
    yield* rest;
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(rest), gunzip, () => undefined); // an error reaches us through gunzip's iterator
  yield* gunzip;
}

function isGzip(head: Chunk[]): boolean {
  const start: number[] = [];
  for (const chunk of head) {
    if (typeof chunk === 'string') return false;
    start.push(...chunk.subarray(0, GZIP_MAGIC.length - start.length));
  }
  return GZIP_MAGIC.every((b, i) => start[i] === b);
}
