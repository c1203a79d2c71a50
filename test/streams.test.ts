// The stream ends: Node Transforms (records in object mode, NDJSON text) and the web transform.
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { type Json, RecordTransformStream, XmlSyntaxError, ndjsonTransform, recordTransform, records } from '../src/index.js';
import { ROOT } from './helpers/run-bin.js';

const BUSES = join(ROOT, 'samples', 'buses.xml');
const BAD = '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x></r>';

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Pipes `source` through `transform`; returns what came out and how the pipeline ended. */
async function through(source: Iterable<string | Uint8Array> | Readable, transform: NodeJS.ReadWriteStream): Promise<{ out: unknown[]; error: unknown }> {
  const out: unknown[] = [];
  try {
    await pipeline(source, transform, async (items: AsyncIterable<unknown>) => {
      for await (const item of items) out.push(item);
    });
  } catch (error) {
    return { out, error };
  }
  return { out, error: undefined };
}

describe('recordTransform()', () => {
  it('turns bytes into the records that records() yields, however the bytes are cut', async () => {
    const expected = await all(records(BUSES, { element: 'bus' }));
    expect((await through(createReadStream(BUSES), recordTransform({ element: 'bus' }))).out).toEqual(expected);
    const bytes = readFileSync(BUSES);
    const cuts = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7)); // cuts inside tags and names
    expect((await through(Readable.from(cuts), recordTransform({ element: 'bus' }))).out).toEqual(expected);
  });

  it('filters with where, and passes options to the builder', async () => {
    const { out } = await through(['<r><x id="1"><k>a</k></x><x id="2"><k>b</k></x></r>'], recordTransform({ element: 'x', where: { k: 'b' }, attrPrefix: '-' }));
    expect(out).toEqual([{ '-id': '2', k: 'b' }]);
  });

  it('sends an empty record as undefined, since a Node stream ends at null', async () => {
    expect((await through(['<r><x/><x>1</x></r>'], recordTransform({ element: 'x' }))).out).toEqual([undefined, '1']);
  });

  it('delivers every record completed before a fault, then fails with the XmlSyntaxError', async () => {
    const { out, error } = await through([BAD], recordTransform({ element: 'x' }));
    expect(out).toEqual([{ v: '1' }]);
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect(error).toMatchObject({ code: 'XML_SYNTAX', line: 3, column: 10, file: '<stream>' });

    // … also when the fault is found at the end of input, and with many records waiting to be read
    const many = '<r>' + '<x>1</x>'.repeat(100);
    const atEnd = await through([many], recordTransform({ element: 'x', file: 'feed.xml' }));
    expect(atEnd.out).toHaveLength(100);
    expect(atEnd.error).toBeInstanceOf(XmlSyntaxError);
    expect((atEnd.error as XmlSyntaxError).file).toBe('feed.xml');
  });

  it("does not read the source faster than the records are taken", async () => {
    let pulled = 0;
    const source = Readable.from((function* () {
      yield '<r>';
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield `<x>${i}${' '.repeat(1000)}</x>`; // 1 KB chunks: the buffers hold a few dozen
      }
      yield '</r>';
    })());
    let taken = 0;
    let release!: () => void;
    const stall = new Promise<void>((resolve) => (release = resolve));
    const done = pipeline(source, recordTransform({ element: 'x' }), new Writable({
      objectMode: true,
      highWaterMark: 1,
      write(_record, _encoding, callback) {
        if (++taken === 10) void stall.then(() => callback());
        else callback();
      },
    }));
    await vi.waitFor(() => expect(taken).toBe(10));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve)); // let every buffer fill
    expect(pulled).toBeLessThan(100); // what the streams' buffers hold (16 KB, 16 objects), not the 10,000 chunks
    release();
    await done;
    expect(taken).toBe(10_000);
  });

  it('lets pipeline() stop the source when the reader stops', async () => {
    const source = createReadStream(BUSES, { highWaterMark: 1024 });
    const transform = recordTransform({ element: 'bus' });
    let taken = 0;
    await pipeline(source, transform, async (buses: AsyncIterable<Json>) => {
      for await (const bus of buses) {
        if (bus !== null) taken++;
        break;
      }
    }).catch(() => undefined); // whether an early stop is an error is pipeline()'s business
    await vi.waitFor(() => expect(source.destroyed && transform.destroyed).toBe(true));
    expect(taken).toBe(1);
  });
});

describe('ndjsonTransform()', () => {
  it('writes each record as a line of JSON', async () => {
    const route22 = await all(records(BUSES, { element: 'bus', where: { route: '22' } }));
    const { out } = await through(createReadStream(BUSES), ndjsonTransform({ element: 'bus', where: { route: '22' } }));
    const text = (out as Array<string | Buffer>).map(String).join('');
    expect(text).toBe(route22.map((bus) => JSON.stringify(bus) + '\n').join(''));
    expect(text.split('\n')).toHaveLength(21);
  });

  it('writes an empty record as null, and stops after the complete lines at a fault', async () => {
    expect((await through(['<r><x/></r>'], ndjsonTransform({ element: 'x' }))).out.map(String)).toEqual(['null\n']);
    const { out, error } = await through([BAD], ndjsonTransform({ element: 'x' }));
    expect(out.map(String).join('')).toBe('{"v":"1"}\n');
    expect(error).toMatchObject({ name: 'XmlSyntaxError', line: 3, column: 10 });
  });
});

describe('RecordTransformStream', () => {
  it('is a TransformStream that turns a web stream of bytes or text into records', async () => {
    expect(new RecordTransformStream({ element: 'x' })).toBeInstanceOf(TransformStream);
    const expected = await all(records(BUSES, { element: 'bus' }));
    const bytes = new Blob([readFileSync(BUSES)]).stream();
    expect(await all(bytes.pipeThrough(new RecordTransformStream({ element: 'bus' })))).toEqual(expected);
    const text = ReadableStream.from(['<r><x>é</x>', '<x/><x>2</x></r>']);
    expect(await all(text.pipeThrough(new RecordTransformStream({ element: 'x' })))).toEqual(['é', null, '2']);
    const gzipped = new Blob([gzipSync(readFileSync(BUSES))]).stream();
    expect(await all(gzipped.pipeThrough(new RecordTransformStream({ element: 'bus' })))).toEqual(expected);
  });

  it('delivers every record completed before a fault, then errors with the XmlSyntaxError', async () => {
    const out: Json[] = [];
    let caught: unknown;
    try {
      for await (const record of ReadableStream.from(['<r><x>1</x>', '<x>2</x><x>3', '</y>']).pipeThrough(new RecordTransformStream({ element: 'x' }))) out.push(record);
    } catch (error) {
      caught = error;
    }
    expect(out).toEqual(['1', '2']);
    expect(caught).toBeInstanceOf(XmlSyntaxError);
  });

  it('cancels its source when the reader stops', async () => {
    let cancelled = false;
    const source = new ReadableStream<string>({
      start: (controller) => controller.enqueue('<r>'),
      pull: (controller) => controller.enqueue('<x>1</x>'),
      cancel: () => void (cancelled = true),
    });
    for await (const record of source.pipeThrough(new RecordTransformStream({ element: 'x' }))) {
      expect(record).toBe('1');
      break;
    }
    await vi.waitFor(() => expect(cancelled).toBe(true));
  });
});

describe('the Node transforms detect compression as records() does', () => {
  const bytes = readFileSync(BUSES);
  it.each([['gzip', gzipSync(bytes)], ['bzip2', execFileSync('bzip2', ['-c'], { input: bytes })], ['zstd', execFileSync('zstd', ['-c'], { input: bytes })]])('%s', async (_name, packed) => {
    const expected = await all(records(BUSES, { element: 'bus' }));
    const cuts = Array.from({ length: Math.ceil(packed.length / 1000) }, (_, i) => packed.subarray(i * 1000, i * 1000 + 1000));
    expect((await through(Readable.from(cuts), recordTransform({ element: 'bus' }))).out).toEqual(expected);
    const text = (await through([packed.subarray(0, 3), packed.subarray(3)], ndjsonTransform({ element: 'bus', where: { route: '22' } }))).out.map(String).join('');
    expect(text.split('\n')).toHaveLength(21);
  });

  it('compressed data cut short: the records before it, then the error', async () => {
    const packed = gzipSync('<r><x>1</x><x>2</x>' + '<x>3</x>'.repeat(1000) + '</r>');
    const { out, error } = await through([packed.subarray(0, packed.length - 12)], recordTransform({ element: 'x' }));
    expect(out.slice(0, 2)).toEqual(['1', '2']);
    expect(error).toMatchObject({ code: 'Z_BUF_ERROR' });
  });
});
