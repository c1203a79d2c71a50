// Record mode holds one record at a time: the built CLI converts a generated 200 MB feed in under
// 100 MB of peak RSS, as flat as for a 50 MB feed, also when its reader stops reading for a while (the
// driver waits for the sink to drain before it feeds the next chunk). A bound on memory, never on time.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers/run-bin.js';

const REPORT = join(ROOT, 'test/bench/report.mjs'); // prints the process's peak RSS on fd 3 at exit
const LIMIT_MB = 100;
const FEED_MB = 200;
// Flatness is judged from a 50 MB feed: the heap settles within it (one core: 61, 69, 71, 71 MB for 20, 50,
// 100, 200 MB), and -j 2's 20 MB would be five ranges, before the workers' heaps settle.
const MID_MB = 50;
const FLAT_MB = 10; // peak RSS on the 200 MB feed may exceed that on the 50 MB feed by no more than this

interface Ran {
  code: number | null;
  peakRssMb: number;
  outputBytes: number;
  lines: number;
}

/** Runs xml2json on FILE; `stall` ms after the start the reader begins reading, pausing `pause` ms between reads. */
function xml2json(args: string[], reader: { stall: number; pause: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REPORT, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    let outputBytes = 0;
    let lines = 0;
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (text: string) => (report += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const stdout = child.stdout!;
    stdout.pause();
    void (async () => {
      await sleep(reader.stall);
      for await (const chunk of stdout as AsyncIterable<Buffer>) {
        outputBytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        if (reader.pause > 0) await sleep(reader.pause);
      }
    })().catch(reject);
    child.on('error', reject);
    child.on('close', (code) => {
      if (stderr !== '') reject(new Error(stderr));
      else {
        const peakRssMb = JSON.parse(report).maxRssKb / 1024;
        console.log(`xml2json ${basename(args[0]!)} ${args.slice(1).join(' ')}: peak RSS ${peakRssMb.toFixed(1)} MB, ${outputBytes} bytes out`);
        resolve({ code, peakRssMb, outputBytes, lines });
      }
    });
  });
}

/** How many times `needle` occurs in the file (read in chunks; a match may straddle two). */
async function occurrences(file: string, needle: string): Promise<number> {
  const pattern = Buffer.from(needle);
  let count = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    const text = Buffer.concat([carry, chunk]);
    for (let i = text.indexOf(pattern); i !== -1; i = text.indexOf(pattern, i + pattern.length)) count++;
    carry = text.subarray(text.length - (pattern.length - 1));
  }
  return count;
}

describe(`record mode on a ${FEED_MB} MB feed`, () => {
  let dir: string;
  let feed: string;
  let mid: string;
  let buses: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cosax-memory-'));
    /** A generated bus feed of about `mb` MB, in the temp directory. */
    const generate = (name: string, mb: number): string => {
      const path = join(dir, name);
      expect(spawnSync(process.execPath, [join(ROOT, 'samples/generate-buses.mjs'), '--mb', String(mb), '--out', path]).status).toBe(0);
      expect(statSync(path).size).toBeGreaterThanOrEqual(mb * 1024 * 1024 - 4096);
      return path;
    };
    feed = generate('buses.xml', FEED_MB);
    mid = generate('mid.xml', MID_MB);
    buses = await occurrences(feed, '</bus>');
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`converts every bus to NDJSON in under ${LIMIT_MB} MB of peak RSS, within ${FLAT_MB} MB of a ${MID_MB} MB feed's`, async () => {
    const short = await xml2json([mid, '-e', 'bus', '-f', 'ndjson'], { stall: 0, pause: 0 });
    const ran = await xml2json([feed, '-e', 'bus', '-f', 'ndjson'], { stall: 0, pause: 0 });
    expect(short.code).toBe(0);
    expect(ran.code).toBe(0);
    expect(ran.lines).toBe(buses); // the whole feed went through, a line per bus
    expect(ran.peakRssMb).toBeLessThan(LIMIT_MB);
    expect(ran.peakRssMb - short.peakRssMb).toBeLessThan(FLAT_MB); // 10× the input, the same memory
  }, 300_000);

  it(`stays under ${LIMIT_MB} MB when its reader stops for 8 s, then reads slowly`, async () => {
    // Were the output not held back, 8 s of conversion (50 MB of NDJSON or more) would pile up in memory.
    const ran = await xml2json([feed, '-e', 'bus', '-f', 'ndjson'], { stall: 8000, pause: 1 });
    expect(ran.code).toBe(0);
    expect(ran.lines).toBe(buses);
    expect(ran.peakRssMb).toBeLessThan(LIMIT_MB);
  }, 300_000);

  it(`with -j 2: every bus, in under twice the one-core peak and 20 MB, as flat as for ${MID_MB} MB, also behind a reader that stalls`, async () => {
    const one = await xml2json([feed, '-e', 'bus', '-f', 'ndjson'], { stall: 0, pause: 0 });
    const short = await xml2json([mid, '-e', 'bus', '-f', 'ndjson', '-j', '2'], { stall: 0, pause: 0 });
    const ran = await xml2json([feed, '-e', 'bus', '-f', 'ndjson', '-j', '2'], { stall: 0, pause: 0 });
    const stalled = await xml2json([feed, '-e', 'bus', '-f', 'ndjson', '-j', '2'], { stall: 8000, pause: 1 });
    for (const run of [ran, stalled]) {
      expect(run.code).toBe(0);
      expect(run.lines).toBe(buses);
      expect(run.peakRssMb).toBeLessThan(2 * one.peakRssMb + 20);
    }
    expect(ran.peakRssMb - short.peakRssMb).toBeLessThan(2 * FLAT_MB); // two workers' worth of flatness, from 4× less input
  }, 300_000);
});
