// --limit N and records()'s `limit`: the first N records kept (after --where), then the input is read no further.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { records } from '../src/api.js';
import { RecordTransformStream, recordTransform } from '../src/streams.js';
import { scratch } from './cli/shell.js';
import { BIN, ROOT, outcome, runBin } from './helpers/run-bin.js';

const BUSES = `${ROOT}/samples/buses.xml`;

/** Chunks of `<r>` then records `<x><n>i</n></x>` for ever, and how many chunks were pulled. */
function endless(): { chunks: AsyncIterable<string>; pulled: () => number; returned: () => boolean } {
  let pulled = 0;
  let returned = false;
  async function* generate() {
    try {
      yield '<r>';
      for (let i = 1; ; i++) {
        pulled++;
        yield `<x><n>${i}</n></x>`;
      }
    } finally {
      returned = true;
    }
  }
  return { chunks: generate(), pulled: () => pulled, returned: () => returned };
}

describe('xml2json --limit N', () => {
  it('writes the first N records that pass --where, as the run without --limit begins', async () => {
    const all = await runBin([BUSES, '-e', 'bus', '-w', 'route=22', '-f', 'ndjson']);
    const three = await runBin([BUSES, '-e', 'bus', '-w', 'route=22', '-f', 'ndjson', '--limit', '3']);
    expect(three).toEqual({ code: 0, stdout: all.stdout.split('\n').slice(0, 3).join('\n') + '\n', stderr: '' });
    expect(JSON.parse((await runBin([BUSES, '-e', 'bus', '--limit', '2'])).stdout)).toHaveLength(2); // a JSON array, closed
    expect((await runBin([BUSES, '-e', 'bus', '-w', 'route=22', '--count', '--limit', '5'])).stdout).toBe('5\n');
  });

  it('stops reading: stdin that never ends, the run ends at the Nth record, exit 0', async () => {
    const child = spawn(process.execPath, [BIN, '-e', 'x', '--limit', '2', '-f', 'ndjson'], { cwd: ROOT });
    child.stdin.on('error', () => undefined); // the run has ended while we write
    child.stdin.write('<r><x>1</x><x>2</x><x>3</x>'); // never closed: the document never ends
    expect(await outcome(child)).toEqual({ code: 0, stdout: '"1"\n"2"\n', stderr: '' });
  });

  it('a fault after the Nth record is in what need not be read: exit 0, in any chunking', async () => {
    expect(await runBin(['-e', 'x', '--limit', '2', '-f', 'ndjson'], '<r><x>1</x><x>2</x><x>3</oops></r>')).toEqual({ code: 0, stdout: '"1"\n"2"\n', stderr: '' });
    const before = await runBin(['-e', 'x', '--limit', '2', '-f', 'ndjson'], '<r><x>1</x><x>2</oops></r>');
    expect(before.code).toBe(1);
  });

  it('with several files, counts across them and reads no further file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.xml'), '<r><bus></r>');
    expect(await runBin([BUSES, join(dir, 'bad.xml'), '-e', 'bus', '--limit', '1', '-f', 'ndjson', '--fields', 'id'])).toEqual({ code: 0, stdout: '{"id":"8747"}\n', stderr: '' });
    expect((await runBin([BUSES, BUSES, join(dir, 'bad.xml'), '-e', 'bus', '--limit', '301', '--count'])).stdout).toBe('301\n');
  });

  it('N must be a positive whole number', async () => {
    for (const bad of ['0', '-1', '2.5', 'x']) expect((await runBin([BUSES, '-e', 'bus', '--limit', bad])).code).toBe(2);
  });
});

describe('limit in records() and the streams', () => {
  it('records(): the first N kept, then the source is closed unread', async () => {
    const source = endless();
    const got: unknown[] = [];
    for await (const record of records(source.chunks, { element: 'x', where: (r) => Number((r as { n: string }).n) % 2 === 0, limit: 3 })) got.push(record);
    expect(got).toEqual([{ n: '2' }, { n: '4' }, { n: '6' }]);
    expect(source.returned()).toBe(true);
    expect(source.pulled()).toBe(6);
  });

  it('records(): a fault after the Nth record does not reject', async () => {
    const got: unknown[] = [];
    for await (const record of records(['<r><x>1</x><x>2</oops></r>'], { element: 'x', limit: 1 })) got.push(record);
    expect(got).toEqual(['1']);
  });

  it('records(): limit is checked like every option', async () => {
    await expect(() => records('x.xml', { element: 'x', limit: 0 }).next()).rejects.toThrow('records(): option limit: expected a positive whole number, got 0');
  });

  it('RecordTransformStream: the first N records, and the source is cancelled', async () => {
    const source = endless();
    const got: unknown[] = [];
    for await (const record of ReadableStream.from(source.chunks).pipeThrough(new RecordTransformStream({ element: 'x', limit: 2 }))) got.push(record);
    expect(got).toEqual([{ n: '1' }, { n: '2' }]);
  });

  it('recordTransform(): its readable side ends after N records; the rest is not parsed', async () => {
    const got: unknown[] = [];
    const sink = new Writable({ objectMode: true, write: (record, _encoding, done) => done(void got.push(record)) });
    await pipeline(Readable.from(['<r><x>1</x>', '<x>2</x><x>3</x>', '<x>4</oops></r>']), recordTransform({ element: 'x', limit: 2 }), sink);
    expect(got).toEqual(['1', '2']);
  });
});
