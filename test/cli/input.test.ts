// Inputs: FILE, "-", stdin; gzip by its magic bytes; several FILEs into one output; bad FILEs named.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { scratch } from './shell.js';

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
    expect(stderr).toBe('xml2json: no <itemz> element in <stdin>; the repeated elements, outermost first: item (3, at /rss/channel/item), category (6, at /rss/channel/item/category), title (4, at /rss/channel/item/title)\n');
  });

  it('names each input that has none, and says nothing when records were found but filtered out', async () => {
    const { stderr } = await runBin([one, '-', '-e', 'x', '-e', '/r/y', '--count'], '<r><z/></r>');
    expect(stderr).toBe('xml2json: no <x> element or element at /r/y in <stdin> (its root is <r>)\n');
    expect((await runBin(['-e', 'x', '-w', 'v=9'], '<r><x><v>1</v></x></r>')).stderr).toBe('');
  });
});
