// The sink's backpressure: drained() hands what was written to the stream and, when the stream's
// buffer is full, resolves only after the stream has drained.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamSink } from '../../src/io/sink.js';

/** A stream with a 16-byte buffer whose writes complete only when `release()` is called. */
function slowStream() {
  const received: string[] = [];
  const pending: Array<() => void> = [];
  const out = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk.toString());
      pending.push(done);
    },
  });
  return { out, received, release: () => pending.splice(0).forEach((done) => done()) };
}

describe('streamSink', () => {
  it('writes nothing until drained(), then everything written so far in one write', async () => {
    const { out, received, release } = slowStream();
    const sink = streamSink(out);
    sink.write('a,');
    sink.write('b\n');
    expect(received).toEqual([]);
    const drained = sink.drained();
    expect(received).toEqual(['a,b\n']);
    release();
    await drained;
  });

  it('waits for the stream to drain when its buffer is full', async () => {
    const { out, received, release } = slowStream();
    const sink = streamSink(out);
    sink.write('x'.repeat(100));
    let done = false;
    const drained = sink.drained().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(1);
    expect(done).toBe(false); // the reader has not taken it yet: the driver must not feed more
    release();
    await drained;
    expect(done).toBe(true);
  });

  it('does not wait when the stream has room', async () => {
    const { out, received } = slowStream();
    const sink = streamSink(out);
    sink.write('tiny');
    await sink.drained();
    expect(received).toEqual(['tiny']);
    await sink.drained(); // nothing new: no write
    expect(received).toEqual(['tiny']);
  });

  it('encodes text into buffers used again only once the stream is done with them; a text longer than one is written whole', async () => {
    const kept: Buffer[] = []; // the chunks themselves, not copies: what is overwritten would show
    const pending: Array<() => void> = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        kept.push(chunk);
        pending.push(done);
      },
    });
    const release = async (): Promise<void> => {
      while (pending.length > 0) {
        pending.splice(0).forEach((done) => done());
        await new Promise((resolve) => setImmediate(resolve)); // the stream hands over its next chunk
      }
    };
    const sink = streamSink(out);
    const long = 'é'.repeat(200_000) + '𝄞'; // more than a buffer's 256 KB in UTF-8
    for (const text of ['first', 'second', long]) {
      sink.write(text);
      void sink.drained();
    }
    await release();
    const written = 'firstsecond' + long;
    expect(Buffer.concat(kept).toString()).toBe(written);
    await sink.flushed();
    sink.write('third');
    void sink.drained();
    await release();
    expect(kept.at(-1)!.toString()).toBe('third');
    expect(Buffer.concat(kept.slice(0, -1)).toString()).not.toBe(written); // a buffer the stream was done with, used again
  });
});
