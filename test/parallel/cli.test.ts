// -j N and --shard K/N through the command, on files big enough to be cut (a range is 1 MiB at least):
// the same bytes, errors and exit status as one core.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/run-bin.js';

const dir = mkdtempSync(join(tmpdir(), 'cosax-jobs-'));
const feed = join(dir, 'feed.xml');
const small = join(dir, 'small.xml');
const zipped = join(dir, 'feed.xml.gz');
const broken = join(dir, 'broken.xml');

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'samples/generate-buses.mjs'), '--mb', '6', '--out', feed]);
  writeFileSync(small, readFileSync(join(ROOT, 'samples/buses.xml')));
  writeFileSync(zipped, gzipSync(readFileSync(feed)));
  // a fault near the end, after thousands of records: in the last range
  const text = readFileSync(feed, 'utf8');
  const at = text.lastIndexOf('<route>');
  writeFileSync(broken, text.slice(0, at) + '<route>22</rout>' + text.slice(at + '<route>22</route>'.length));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jobs = ['-e', 'bus', '-f', 'ndjson'];
const busJob = ['-e', 'bus', '-w', 'route=22', '-w', 'direction=North Bound', '-f', 'csv', '--fields', 'route,id,direction,latitude,longitude'];

describe('-j N: one core\'s output, in several ranges at once', () => {
  it.each([
    ['NDJSON', jobs],
    ['the bus job', busJob],
    ['a JSON array', ['-e', 'bus']],
    ['a /path', ['-e', '/buses/bus', '-f', 'ndjson', '--fields', 'id,finalStop']],
    ['--count', ['-e', 'bus', '--count']],
  ])('%s', async (_name, args) => {
    const one = await runBin([feed, ...args]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^(?:\[|\{|route|\d+\n$)/u);
    for (const j of ['2', '3', '0']) expect(await runBin([feed, ...args, '-j', j])).toEqual(one);
  });

  it('says with --verbose how each input is read, and reads several inputs in argument order', async () => {
    const args = [feed, small, zipped, '-', ...jobs];
    const stdin = readFileSync(small);
    const one = await runBin(args, stdin);
    const many = await runBin([...args, '-j', '2', '--verbose'], stdin);
    expect(many.stdout).toBe(one.stdout);
    expect(many.stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^xml2json: ${feed}: \\d+ ranges on 2 workers$`, 'u')),
      `xml2json: ${small}: one core: the file is small`,
      `xml2json: ${zipped}: one core: compressed input is read as one stream`,
      'xml2json: <stdin>: one core: a stream is read as it comes',
      '',
    ]);
  });

  it('a fault in the last range: the records before it, then the same error line and exit status', async () => {
    const one = await runBin([broken, ...jobs]);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/^xml2json: .*broken\.xml:\d+:\d+: the end tag <\/rout> does not match <route>\n$/u);
    expect(await runBin([broken, ...jobs, '-j', '2'])).toEqual(one);
    expect(await runBin([broken, '-e', 'bus', '-j', '2'])).toEqual(await runBin([broken, '-e', 'bus'])); // a JSON array closed after them
  });

  it('an element that never occurs is named as one core names it', async () => {
    const one = await runBin([feed, '-e', 'buss', '-f', 'ndjson']);
    expect(one.stderr).toMatch(/no <buss> element/u);
    expect(await runBin([feed, '-e', 'buss', '-f', 'ndjson', '-j', '2'])).toEqual(one);
  });
});

describe('--shard K/N: the parts concatenated are the whole', () => {
  it.each([
    ['NDJSON', jobs],
    ['CSV, its header in the first part', busJob],
  ])('%s, in 3 and in 7 parts, each part on one or two workers', async (_name, args) => {
    const whole = await runBin([feed, ...args]);
    for (const n of [3, 7]) {
      const parts = await Promise.all(Array.from({ length: n }, (_, k) => runBin([feed, ...args, '--shard', `${k + 1}/${n}`, ...(k % 2 === 0 ? [] : ['-j', '2'])])));
      expect(parts.map((part) => part.code)).toEqual(parts.map(() => 0));
      expect(parts.map((part) => part.stdout).join('')).toBe(whole.stdout);
    }
  });

  it('a fault: the part it is in stops there, and every later part gives the same error', async () => {
    const whole = await runBin([broken, ...jobs]);
    const parts = await Promise.all([1, 2, 3].map((k) => runBin([broken, ...jobs, '--shard', `${k}/3`])));
    expect(parts.map((part) => part.stdout).join('')).toBe(whole.stdout);
    expect(parts[0]!.code).toBe(0);
    expect(parts[2]).toMatchObject({ code: 1, stderr: whole.stderr });
  });

  it('a FILE that cannot be cut is an error of that FILE, exit 1, named once', async () => {
    const packed = join(dir, 'packed.xml.gz');
    writeFileSync(packed, gzipSync('<buses><bus><id>1</id></bus></buses>'));
    expect(await runBin([packed, '-e', 'bus', '-f', 'ndjson', '--shard', '1/2'])).toEqual({ code: 1, stdout: '', stderr: `xml2json: ${packed}: --shard cannot cut it: compressed input is read as one stream\n` });
  });

  it('a fault before a part is that part\'s error, named by FILE, line and column as without --shard', async () => {
    const early = join(dir, 'early.xml');
    writeFileSync(early, '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x>\n<x><v>3</v></x>\n<x><v>4</v></x>\n</r>\n');
    const whole = await runBin([early, '-e', 'x', '-f', 'ndjson']);
    expect(whole).toMatchObject({ code: 1, stdout: '{"v":"1"}\n', stderr: `xml2json: ${early}:3:10: the end tag </oops> does not match <v>\n` });
    const parts = await Promise.all([1, 2, 3].map((k) => runBin([early, '-e', 'x', '-f', 'ndjson', '--shard', `${k}/3`])));
    expect(parts.map(({ code, stderr }) => ({ code, stderr }))).toEqual(parts.map(() => ({ code: 1, stderr: whole.stderr })));
    expect(parts.map((part) => part.stdout).join('')).toBe(whole.stdout);
  });
});

describe('bad usage', () => {
  it.each([
    [['-j', '-1'], /--jobs "-1": expected a number of worker threads/u],
    [['--shard', '0/2'], /--shard "0\/2": expected K\/N/u],
    [['--shard', '3/2'], /--shard "3\/2": expected K\/N/u],
    [['--shard', 'half'], /--shard "half": expected K\/N/u],
    [['--shard', '1/2', '-e', 'bus'], /a JSON array cannot be/u],
    [['--shard', '1/2', '-e', 'bus', '--count'], /--count cannot be/u],
    [['--shard', '1/2', '-f', 'ndjson'], /it needs -e NAME/u],
    [['-j', '2', '--parser', 'sax', '-e', 'bus'], /leave out --parser sax/u],
    [['--shard', '1/3', '-e', 'bus', '-f', 'csv'], /--shard K\/N -f csv: [^\n]*give --fields/u],
    [['--shard', '2/3', '-e', 'bus', '-e', '/buses/bus', '-f', 'ndjson'], /record names and \/paths together/u],
    [['--shard', '2/3', '-e', 'bus', '--strip-ns', '-f', 'ndjson'], /leave out --strip-ns/u],
  ])('%j', async (args, message) => {
    const ran = await runBin([feed, ...args]);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toMatch(message);
  });
});
