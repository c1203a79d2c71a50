// Inputs: FILE, "-", stdin; gzip by its magic bytes; several FILEs into one output; bad FILEs named.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { scratch, sh } from './shell.js';

const dir = scratch();
const one = join(dir, 'one.xml');
const two = join(dir, 'two.xml');
writeFileSync(one, '<r><x><v>1</v></x><x><v>2</v></x></r>');
writeFileSync(two, '<r><x><v>3</v></x></r>');

describe('xml2json reads', () => {
  it('FILE, "-" and stdin alike', async () => {
    const xml = readFileSync(one);
    for (const [args, stdin] of [[[one, '-e', 'x'], undefined], [['-', '-e', 'x'], xml], [['-e', 'x'], xml]] as const) {
      const { code, stdout } = await runBin([...args], stdin);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual([{ v: '1' }, { v: '2' }]);
    }
  });

  it('gzip by its magic bytes, in a file whatever its name and on stdin', async () => {
    const gz = join(dir, 'buses.data'); // no .gz: the bytes tell
    writeFileSync(gz, gzipSync(readFileSync('samples/buses.xml')));
    expect(await runBin([gz, '-e', 'bus', '--count'])).toMatchObject({ code: 0, stdout: '300\n' });
    expect(await runBin(['-e', 'bus', '--count'], gzipSync(readFileSync('samples/buses.xml')))).toMatchObject({ code: 0, stdout: '300\n' });
  });

  it('a file whose characters of 2, 3 and 4 bytes straddle every 64 KiB read: each character whole (the reader reuses its buffers)', async () => {
    const value = 'é€𝄞'.repeat(30); // 9 bytes a repeat: over 64 KiB of records, every kind of character lands on some boundary
    const big = join(dir, 'wide.xml');
    writeFileSync(big, `<r>${`<v>${value}</v>`.repeat(1000)}</r>`); // 277 KB
    const { code, stdout } = await runBin([big, '-e', 'v', '-f', 'ndjson']);
    expect(code).toBe(0);
    expect(stdout).toBe(`"${value}"\n`.repeat(1000));
    const gz = join(dir, 'wide.data');
    writeFileSync(gz, gzipSync(readFileSync(big)));
    expect((await runBin([gz, '-e', 'v', '-f', 'ndjson'])).stdout).toBe(stdout); // compressed, the chunks are copied for the decompressor
  });

  it('several FILEs in records mode as one stream: one JSON array, NDJSON lines, one CSV header', async () => {
    expect(JSON.parse((await runBin([one, two, '-e', 'x'])).stdout)).toEqual([{ v: '1' }, { v: '2' }, { v: '3' }]);
    expect((await runBin([one, two, '-e', 'x', '-f', 'ndjson'])).stdout).toBe('{"v":"1"}\n{"v":"2"}\n{"v":"3"}\n');
    expect((await runBin([one, two, '-e', 'x', '-f', 'csv'])).stdout).toBe('v\n1\n2\n3\n');
    expect((await runBin(['samples/buses.xml', 'samples/buses.xml', '-e', 'bus', '--count'])).stdout).toBe('600\n');
  });

  it('several FILEs as whole documents: one JSON array of the documents (one document: no array)', async () => {
    const both = await runBin([one, two]);
    expect(both.code).toBe(0);
    expect(JSON.parse(both.stdout)).toEqual([{ r: { x: [{ v: '1' }, { v: '2' }] } }, { r: { x: { v: '3' } } }]);
    expect(JSON.parse((await runBin([two])).stdout)).toEqual({ r: { x: { v: '3' } } });
  });

  it('a FILE and stdin together, in the order given', async () => {
    const { stdout } = await runBin([two, '-', '-e', 'x', '-f', 'ndjson'], '<r><x>4</x></r>');
    expect(stdout).toBe('{"v":"3"}\n"4"\n');
  });
});

describe('xml2json on a FILE it cannot read', () => {
  it('names a missing FILE in one line, exit 1, before writing anything', async () => {
    const { code, stdout, stderr } = await runBin([one, 'no-such-file.xml', '-e', 'x']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('xml2json: no-such-file.xml: no such file\n');
  });

  it('names a directory given as FILE', async () => {
    const { code, stderr } = await runBin([dir]);
    expect(code).toBe(1);
    expect(stderr).toBe(`xml2json: ${dir}: is a directory\n`);
  });

  it('reads stdin once only: "-" twice is a usage error', async () => {
    const { code, stderr } = await runBin(['-', '-'], '<a/>');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^xml2json: stdin \("-"\) can be read only once\n/);
  });
});

describe('xml2json -e NAME when no <NAME> occurs', () => {
  const feed = '<rss><channel><title>t</title>' + '<item><title>a</title><category>x</category><category>y</category></item>'.repeat(3) + '</channel></rss>';

  it('says so on stderr with the repeated elements, outermost first, and exits 0 with the empty output', async () => {
    const { code, stdout, stderr } = await runBin(['-e', 'itemz'], feed);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '[]\n' });
    expect(stderr).toBe('xml2json: no <itemz> element in <stdin>; the repeated elements, outermost first: item (3, all at /rss/channel/item), category (6, all at /rss/channel/item/category), title (4, most at /rss/channel/item/title)\n'); // one title is the channel's
  });

  it('names each input that has none, and says nothing when records were found but filtered out', async () => {
    const { stderr } = await runBin([one, '-', '-e', 'x', '-e', '/r/y', '--count'], '<r><z/></r>');
    expect(stderr).toBe('xml2json: no <x> element or element at /r/y in <stdin> (its root is <r>)\n');
    expect((await runBin(['-e', 'x', '-w', 'v=9'], '<r><x><v>1</v></x></r>')).stderr).toBe('');
  });
});

describe('xml2json reads bzip2, xz and zstd by their magic bytes (Wikipedia and OpenStreetMap dumps are bzip2)', () => {
  const sample = readFileSync('samples/buses.xml');
  const compress = (program: string, bytes: Uint8Array) => execFileSync(program, ['-c'], { input: bytes });

  it.each(['bzip2', 'xz', 'zstd'])('%s, in a file whatever its name and on stdin', async (program) => {
    const packed = join(dir, `buses-${program}.data`);
    writeFileSync(packed, compress(program, sample));
    expect(await runBin([packed, '-e', 'bus', '--count'])).toEqual({ code: 0, stdout: '300\n', stderr: '' });
    expect(await runBin(['-e', 'bus', '-w', 'route=22', '--count'], compress(program, sample))).toEqual({ code: 0, stdout: '20\n', stderr: '' });
  });

  it('cut short: the records before, then one line saying what the program found, exit 1', async () => {
    const packed = compress('bzip2', sample);
    const { code, stderr } = await runBin(['-e', 'bus', '-f', 'ndjson'], packed.subarray(0, packed.length - 20));
    expect(code).toBe(1);
    expect(stderr).toBe('xml2json: <stdin>: not valid bzip2 data (bzip2: Compressed file ends unexpectedly;)\n');
  });

  it('a program that is not installed: one line naming what to install, exit 1', async () => {
    const packed = join(dir, 'buses.xz');
    writeFileSync(packed, compress('xz', sample));
    const { code, stderr } = await sh(`PATH=/nonexistent xml2json ${packed} -e bus`);
    expect(code).toBe(1);
    expect(stderr).toBe(`xml2json: ${packed}: xz input needs the xz program, which is not installed (Debian: apt-get install xz-utils)\n`);
  });
});
