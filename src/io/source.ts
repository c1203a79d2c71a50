// Sources: whatever a user has — a path, a URL, stdin, a Node Readable, a web ReadableStream, an
// (async) iterable of chunks — as one async iterable of chunks, decompressed when it starts with
// the magic bytes of gzip (by zlib), or of bzip2, xz or zstd (by the system's program, as tar does:
// 6.5× faster than unbzip2-stream, 1.3× than xz-decompress, 2.8× than fzstd, and on the other core).

import { spawn } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Any source a library user may hand us. A string is a path (not XML text: use convert() for that). */
export function sourceOf(input: SourceInput): Source {
  if (typeof input === 'string' || input instanceof URL) {
    const name = input instanceof URL ? fileURLToPath(input) : input;
    return { name, chunks: decompressed(fileBytes(name, isRegularFile(name))) };
  }
  if (typeof input !== 'object' || input === null) throw notASource();
  if (input instanceof Uint8Array) return { name: '<bytes>', chunks: decompressed([input]) }; // iterable, but of numbers
  if (isWebStream(input)) return { name: '<stream>', chunks: decompressed(Readable.fromWeb(input as import('node:stream/web').ReadableStream)) };
  if (Symbol.asyncIterator in input || Symbol.iterator in input) {
    return { name: '<stream>', chunks: decompressed(input as AsyncIterable<Chunk>) };
  }
  throw notASource();
}

/** A file's bytes: a regular file's by fileChunks(); a FIFO's or a device's (/dev/stdin) from a stream. */
export function fileBytes(file: string, regular: boolean): AsyncIterable<Uint8Array> {
  return regular ? fileChunks(file) : createReadStream(file, { highWaterMark: CHUNK });
}

/** Whether `file` is a regular file (false when it cannot be looked at: reading it says why). */
function isRegularFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}

/**
 * A file's bytes, read into two buffers in turn: the next chunk while this one is converted. A
 * stream's fresh 64 KB for each chunk costs a page fault every 4 KB (105 MB read and decoded: 0.21 s
 * by a stream, 0.07–0.14 s so). A chunk is valid until the next one is asked for.
 */
export async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  const handle = await open(file, 'r');
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let reading = handle.read(buffers[0]!, 0, CHUNK, null);
  try {
    let { bytesRead } = await reading;
    for (let i = 0; bytesRead > 0; i = 1 - i) {
      reading = handle.read(buffers[1 - i]!, 0, CHUNK, null);
      yield buffers[i]!.subarray(0, bytesRead);
      ({ bytesRead } = await reading);
    }
  } finally {
    await reading.catch(() => undefined); // a read under way when the reader stops early
    await handle.close();
  }
}

const notASource = () => new TypeError('cosax: a source is a path, a file: URL, bytes, a Readable, a ReadableStream or an (async) iterable of chunks');

function isWebStream(input: object): input is ReadableStream {
  return typeof (input as ReadableStream).getReader === 'function' && !(input instanceof Readable);
}

interface Compression {
  name: string;
  magic: readonly number[];
  /** the program that decompresses it (`PROGRAM -dc`), and the Debian package that has it; none for gzip (zlib) */
  program?: { name: string; debian: string };
}

const COMPRESSIONS: readonly Compression[] = [
  { name: 'gzip', magic: [0x1f, 0x8b] },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], program: { name: 'bzip2', debian: 'bzip2' } }, // "BZh", then the block size 1–9
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], program: { name: 'xz', debian: 'xz-utils' } },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd], program: { name: 'zstd', debian: 'zstd' } },
];
export const LONGEST_MAGIC = Math.max(...COMPRESSIONS.map((compression) => compression.magic.length));

/** Compressed input that cannot be read: a program missing, or data it rejects. */
export class DecompressionError extends Error {
  override name = 'DecompressionError';
}

/** Passes chunks through, or decompresses them when the first bytes are a compression's magic number. */
export async function* decompressed(chunks: AsyncIterable<Chunk> | Iterable<Chunk>): AsyncGenerator<Chunk> {
  const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<Chunk>)[Symbol.iterator]()) as AsyncIterator<Chunk> | Iterator<Chunk>;
  const head: Chunk[] = [];
  let bytes = 0;
  let first: IteratorResult<Chunk>;
  // Look at the first bytes (they may come in several chunks).
  while (bytes < LONGEST_MAGIC && !(first = await iterator.next()).done) {
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
  const compression = compressionOf(head);
  if (compression === undefined) yield* rest;
  else if (compression.program !== undefined) yield* throughProgram(compression.name, compression.program, copies(rest));
  else {
    const gunzip = createGunzip();
    pipeline(Readable.from(copies(rest)), gunzip, () => undefined); // an error reaches us through gunzip's iterator
    yield* gunzip;
  }
}

/** Each chunk copied: a decompressor holds on to what it is written, and fileChunks() reuses its buffers. */
async function* copies(chunks: AsyncIterable<Chunk>): AsyncGenerator<Chunk> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : Uint8Array.prototype.slice.call(chunk); // (a Buffer's slice() is a view)
}

/** The compression whose magic number `head` starts with, if any. */
export function compressionOf(head: readonly Chunk[]): Compression | undefined {
  const start: number[] = [];
  for (const chunk of head) {
    if (typeof chunk === 'string') return undefined;
    start.push(...chunk.subarray(0, LONGEST_MAGIC + 1 - start.length));
  }
  const found = COMPRESSIONS.find(({ magic }) => magic.every((b, i) => start[i] === b));
  if (found?.name === 'bzip2' && !(start[3]! >= 0x31 && start[3]! <= 0x39)) return undefined;
  return found;
}

/** `PROGRAM -dc`, fed `chunks`; stopping early ends it. A missing program says what to install. */
async function* throughProgram(format: string, program: { name: string; debian: string }, chunks: AsyncIterable<Chunk>): AsyncGenerator<Chunk> {
  const child = spawn(program.name, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new DecompressionError(`${format} input needs the ${program.name} program, which is not installed (Debian: apt-get install ${program.debian})`);
  }
  let complaint = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (complaint += text));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  pipeline(Readable.from(chunks), child.stdin, () => undefined); // a program that stops reading says why on exit
  let complete = false;
  try {
    yield* child.stdout;
    const code = await exited;
    if (code !== 0) throw new DecompressionError(`not valid ${format} data (${program.name}: ${complaint.trim().split('\n')[0]!.replace(/^[^:]+: (?:\(stdin\): )?/u, '')})`);
    complete = true;
  } finally {
    if (!complete) child.kill();
  }
}
