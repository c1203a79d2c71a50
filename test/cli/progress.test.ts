// --progress under a real terminal (a pty made by `script`), and its rule when there is none.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wantsProgress } from '../../src/io/progress.js';
import { runBin } from '../helpers/run-bin.js';
import { bigFeed, inTerminal, scratch } from './shell.js';

let dir: string;
let feed: string;
beforeAll(async () => {
  dir = scratch();
  feed = await bigFeed(dir, 2);
});

/** The terminal's last drawing of each line: what a user sees after the run. */
const screen = (shown: string): string =>
  shown.split('\n').map((line) => line.replace(/\r$/u, '').split(/\r|\x1b\[1G/u).at(-1)!.replaceAll(/\x1b(\[[?\d;]*[A-Za-z]|[78])/gu, '')).join('\n');

describe('the progress bar in a terminal', () => {
  it('is on by default for a FILE when the output goes elsewhere: bytes of total, records, MB/s, time left', async () => {
    const { code, stdout } = await inTerminal(`xml2json ${feed} -e bus --count > ${dir}/count.txt`);
    expect(code).toBe(0);
    const records = Number(readFileSync(join(dir, 'count.txt'), 'utf8'));
    expect(records).toBeGreaterThan(1000);
    const size = (statSync(feed).size / 1024 / 1024).toFixed(1);
    expect(screen(stdout)).toMatch(new RegExp(`100% \\| ${size} MB of ${size} MB \\| ${records.toLocaleString('en-US')} records \\| [\\d.]+ MB/s \\| \\d+s left`, 'u'));
  });

  it('is off by default when the records are drawn on the same terminal', async () => {
    const { code, stdout } = await inTerminal('xml2json samples/buses.xml -e bus --count');
    expect(code).toBe(0);
    expect(stdout).toBe('300\r\n');
  });

  it('is off by default when the size is unknown (a pipe), and --progress turns it on without a total', async () => {
    expect((await inTerminal(`cat ${feed} | xml2json -e bus --count > /dev/null`)).stdout).toBe('');
    const { stdout } = await inTerminal(`cat samples/buses.xml | xml2json --progress -e bus --count > /dev/null`);
    expect(screen(stdout)).toMatch(/^\d+\.\d KB read \| 300 records \| [\d.]+ MB\/s/mu);
    expect(stdout).not.toContain('%');
  });

  it('is off with --no-progress', async () => {
    expect((await inTerminal(`xml2json ${feed} -e bus --count --no-progress > /dev/null`)).stdout).toBe('');
  });
});

describe('the progress bar without a terminal', () => {
  it('never shows, even with --progress', async () => {
    const { code, stderr } = await runBin(['samples/buses.xml', '-e', 'bus', '--count', '--progress']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('follows the rule: stderr a terminal; by default, a known size and the output elsewhere', () => {
    const rule = (flag: boolean | undefined, stderrIsTTY: boolean, stdoutIsTTY: boolean, total: number | undefined) =>
      wantsProgress({ flag, stderrIsTTY, stdoutIsTTY, total });
    expect(rule(undefined, true, false, 10)).toBe(true);
    expect(rule(undefined, true, true, 10)).toBe(false);
    expect(rule(undefined, true, false, undefined)).toBe(false);
    expect(rule(true, true, true, undefined)).toBe(true);
    expect(rule(false, true, false, 10)).toBe(false);
    expect(rule(true, false, false, 10)).toBe(false);
  });
});
