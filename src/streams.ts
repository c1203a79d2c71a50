// The ends for stream users: a Node Transform (bytes in, records or NDJSON text out) for
// stream.pipeline, and a web TransformStream for pipeThrough (the global classes, so that a
// user's DOM or Node typings both fit). The chain inside is records()'s.

import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { type RecordsOptions, checkedRecords, gather, records, recordsChain } from './api.js';
import { type Coroutine, close } from './coroutine.js';
import { LONGEST_MAGIC, compressionOf, decompressed } from './io/source.js';
import { type Chunk, type Feed, feed } from './driver.js';
import type { Json } from './stages/build.js';
import { emitJsonLines } from './stages/emit-json.js';

const NO_FAULT = Symbol('no fault');

/** Parses the bytes written to it; pushes what the chain completes. A fault waits until the reader has taken it all. */
class ChainTransform extends Transform {
  readonly #chain: Coroutine<never>;
  readonly #parser: Feed;
  readonly #done: Array<Json | string> = []; // what the chain completed during the current step
  readonly #text: boolean;
  #fault: unknown = NO_FAULT;
  // Compressed input: the first bytes are held until they say; then the bytes go through decompressed()
  // into a loop that feeds the parser, waiting for the reader when the readable side is full.
  #head: Buffer[] | undefined = [];
  #compressed: PassThrough | undefined;
  #decompressing: Promise<void> | undefined;
  #wanted: (() => void) | undefined;

  constructor(entry: string, options: RecordsOptions<never>, text: boolean) {
    super({ readableObjectMode: !text });
    this.#text = text;
    const sink = text ? emitJsonLines((line) => this.#done.push(line)) : gather<Json>(this.#done);
    const chain = recordsChain(entry, options, sink);
    this.#chain = chain;
    this.#parser = feed(chain, { ...options, file: options.file ?? '<stream>' });
  }

  #step(write: () => void, callback: TransformCallback): void {
    if (this.#fault !== NO_FAULT) return; // after a fault, input is left unread: we are about to be destroyed
    let fault: unknown = NO_FAULT;
    try {
      write();
    } catch (error) {
      fault = error;
    }
    const done = this.#done.splice(0);
    if (this.#text) {
      if (done.length > 0) this.push(done.join(''));
    } else {
      for (const record of done) this.push(record ?? undefined); // a Node stream ends at null: an empty record travels as undefined
    }
    if (fault === NO_FAULT) callback();
    else if (this.readableLength === 0) callback(fault as Error);
    else this.#fault = fault; // raised by read() once the records before it are read
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#compressed !== undefined) {
      if (this.#compressed.write(chunk)) callback();
      else this.#compressed.once('drain', () => callback());
    } else if (this.#head !== undefined) {
      this.#head.push(chunk);
      if (this.#head.reduce((bytes, piece) => bytes + piece.length, 0) < LONGEST_MAGIC) callback();
      else this.#begin(callback);
    } else this.#step(() => this.#parser.write(chunk), callback);
  }

  /** The first bytes are in: plain XML goes straight on, compressed bytes through decompressed(). */
  #begin(callback: TransformCallback): void {
    const head = Buffer.concat(this.#head!);
    this.#head = undefined;
    if (compressionOf([head]) === undefined) {
      this.#step(() => this.#parser.write(head), callback);
      return;
    }
    const input = (this.#compressed = new PassThrough());
    input.write(head);
    this.#decompressing = (async () => {
      for await (const chunk of decompressed(input)) {
        this.#step(() => this.#parser.write(chunk as Buffer), (fault) => fault && this.destroy(fault));
        if (this.#fault !== NO_FAULT || this.destroyed) return;
        if (this.readableLength >= this.readableHighWaterMark) await new Promise<void>((resolve) => (this.#wanted = resolve));
      }
    })().catch((fault: unknown) => {
      // a program missing, or bad data: after the records before it, as a fault in the XML
      if (this.readableLength === 0) this.destroy(fault as Error);
      else this.#fault = fault;
    });
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#head !== undefined && this.#head.length > 0) {
      this.#begin((fault) => (fault === undefined || fault === null ? this._flush(callback) : callback(fault)));
      return;
    }
    if (this.#compressed === undefined) {
      this.#step(() => this.#parser.end(), callback);
      return;
    }
    this.#compressed.end();
    void this.#decompressing!.then(() => this.#fault === NO_FAULT && !this.destroyed && this.#step(() => this.#parser.end(), callback));
  }

  // Every way of reading (flowing, pipe, async iterator) goes through read(): the last record out lets the fault in.
  override read(size?: number): unknown {
    const chunk: unknown = super.read(size);
    this.#wanted?.(); // the reader wants more: the decompressing loop goes on
    this.#wanted = undefined;
    if (this.#fault !== NO_FAULT && this.readableLength === 0) {
      const fault = this.#fault as Error;
      process.nextTick(() => this.destroy(fault)); // after the reader has the record in hand
    }
    return chunk;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    close(this.#chain); // idempotent; lets the chain's stages finish when a reader stops early
    this.#compressed?.destroy(); // and a decompressing program ends
    this.#wanted?.();
    callback(error);
  }
}

/**
 * A Node Transform for `stream.pipeline`: XML bytes in, records out (object mode).
 * Node streams cannot carry `null`, so an empty record (`<bus/>`, JSON null) comes out as `undefined`.
 */
export function recordTransform<R = Json>(options: RecordsOptions<R>): Transform {
  return new ChainTransform('recordTransform()', options, false);
}

/** A Node Transform: XML bytes in, NDJSON text out (one record a line). */
export function ndjsonTransform<R = Json>(options: RecordsOptions<R>): Transform {
  return new ChainTransform('ndjsonTransform()', options, true);
}

// The identity transform's own readable side, which RecordTransformStream's `readable` replaces.
const identityReadable = Object.getOwnPropertyDescriptor(TransformStream.prototype, 'readable')!.get!;

/**
 * A web TransformStream for `readable.pipeThrough(…)`: XML chunks in, records out, with records()'s
 * behaviour (gzip detected, records before a fault first, cancelling stops the source).
 */
export class RecordTransformStream<R = Json> extends TransformStream<Chunk, R> {
  readonly #records: ReadableStream<R>;

  constructor(options: RecordsOptions<R>) {
    super(); // an identity transform: its writable side is ours, its readable side is where records() reads
    const chunks = identityReadable.call(this) as ReadableStream<Chunk>;
    this.#records = ReadableStream.from(records(chunks, checkedRecords('RecordTransformStream', options)));
  }

  override get readable(): ReadableStream<R> {
    return this.#records;
  }
}
