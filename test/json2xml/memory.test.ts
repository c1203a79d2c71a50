// NDJSON converts in constant memory: the built json2xml writes 200 MB of records inside a root in
// under 100 MB of peak RSS, within 10 MB of what 20 MB takes — also when its reader stops for a while
// (readJson waits for the sink to drain before it reads on). A bound on memory, never on time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-bin.js';
import { records } from '../../src/api.js';

const JSON2XML = join(ROOT, 'bin/json2xml.js');
const REPORT = join(ROOT, 'test/bench/report.mjs'); // prints the process's peak RSS on fd 3 at exit
const LIMIT_MB = 100;
const FEED_MB = 200;
const SMALL_MB = 20;
const FLAT_MB = 10;

interface Ran {
  code: number | null;
  peakRssMb: number;
  buses: number;
  tail: string;
}

/** Runs json2xml on FILE; the reader starts reading after `stall` ms. Counts the <bus> elements written. */
function json2xml(file: string, stall: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REPORT, JSON2XML, file, '--root', 'buses', '--item', 'bus'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    let buses = 0;
    let tail = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (text: string) => (report += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const stdout = child.stdout!.setEncoding('utf8');
    stdout.pause();
    void (async () => {
      await sleep(stall);
      for await (const chunk of stdout as AsyncIterable<string>) {
        const text = tail + chunk; // '<bus>' may straddle two chunks
        for (let i = text.indexOf('<bus>'); i !== -1; i = text.indexOf('<bus>', i + 5)) buses++;
        tail = text.slice(-4);
      }
    })().catch(reject);
    child.on('error', reject);
    child.on('close', (code) => {
      if (stderr !== '') reject(new Error(stderr));
      else {
        const peakRssMb = (JSON.parse(report) as { maxRssKb: number }).maxRssKb / 1024;
        console.log(`json2xml ${file} (reader after ${stall} ms): peak RSS ${peakRssMb.toFixed(1)} MB, ${buses} buses`);
        resolve({ code, peakRssMb, buses, tail });
      }
    });
  });
}

describe(`NDJSON → XML on a ${FEED_MB} MB feed`, () => {
  let dir: string;
  const lines = { small: 0, feed: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cosax-json2xml-memory-'));
    // The sample feed's buses as NDJSON (as xml2json -e bus -f ndjson writes them), over and over.
    let block = '';
    for await (const bus of records(new URL('../../samples/buses.xml', import.meta.url), { element: 'bus' })) block += JSON.stringify(bus) + '\n';
    const perBlock = block.split('\n').length - 1;
    const write = async (name: string, mb: number): Promise<number> => {
      const out = createWriteStream(join(dir, name));
      const blocks = Math.ceil((mb * 1024 * 1024) / block.length);
      for (let i = 0; i < blocks; i++) if (!out.write(block)) await once(out, 'drain');
      out.end();
      await once(out, 'close');
      return blocks * perBlock;
    };
    lines.small = await write('small.ndjson', SMALL_MB);
    lines.feed = await write('feed.ndjson', FEED_MB);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`writes every record in under ${LIMIT_MB} MB of peak RSS, within ${FLAT_MB} MB of a ${SMALL_MB} MB feed's, though its reader waits 3 s`, async () => {
    const small = await json2xml(join(dir, 'small.ndjson'), 0);
    // Were the output not held back, 3 s of conversion (100 MB of XML or more) would pile up in memory.
    const feed = await json2xml(join(dir, 'feed.ndjson'), 3000);
    expect([small.code, feed.code]).toEqual([0, 0]);
    expect([small.buses, feed.buses]).toEqual([lines.small, lines.feed]); // every record went through
    expect(feed.tail.endsWith('es>')).toBe(true); // …</buses>
    expect(feed.peakRssMb).toBeLessThan(LIMIT_MB);
    expect(feed.peakRssMb - small.peakRssMb).toBeLessThan(FLAT_MB);
    expect(statSync(join(dir, 'feed.ndjson')).size).toBeGreaterThanOrEqual(FEED_MB * 1024 * 1024);
  }, 300_000);
});
