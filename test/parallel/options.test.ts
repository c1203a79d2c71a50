// The options of real dumps with -j N (issue 17): each gives byte for byte what -j 1 gives — stdout,
// stderr and exit status — on a generated file big enough to be cut into ranges, or is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { ROOT, runBin } from '../helpers/run-bin.js';

const dir = mkdtempSync(join(tmpdir(), 'cosax-jobs-options-'));
const latin = join(dir, 'latin.xml'); // says UTF-8, is ISO-8859-1
const utf8 = join(dir, 'nodes.xml');
const utf16 = join(dir, 'utf16.xml'); // says UTF-8, is UTF-16LE
const dirty = join(dir, 'dirty.xml');
const late = join(dir, 'late.xml'); // one fault, in the middle: in a range after the first
const small = join(dir, 'small.xml');
let nodes = 0;

/** Nodes whose shape varies (0–3 tags, a note with spaces or none, attributes or none), about 3.7 MB, 4 ranges. */
function osm(): string {
  let seed = 17;
  const random = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'];
  for (nodes = 0; parts.length < 36000; nodes++) {
    const tags = Array.from({ length: random(4) }, (_, t) => `<tag k="k${t}" v="café ${random(100)}"/>`).join(random(2) === 0 ? '' : '\n   ');
    const note = [``, `<note>  plain ${nodes}  </note>`, `<note lang="fr"> été </note>`][random(3)];
    parts.push(` <node id="${nodes}" lat="${random(90)}.5">\n   ${tags}${note}\n </node>\n`);
  }
  return parts.join('') + '</osm>\n';
}

const text = osm(); // (here: the tables of it.each need `nodes`)

beforeAll(() => {
  writeFileSync(latin, Buffer.from(text, 'latin1'));
  writeFileSync(utf8, text);
  writeFileSync(utf16, Buffer.from(text, 'utf16le'));
  // three records that are not well-formed, one near the start, one in the middle, one near the end
  let broken = text;
  for (const id of [40, Math.floor(nodes / 2), nodes - 30]) broken = broken.replace(`<node id="${id}" lat=`, `<node id="${id}" lat=&`);
  writeFileSync(dirty, broken);
  writeFileSync(late, text.replace(`<node id="${Math.floor(nodes / 2)}" lat=`, `<node id="${Math.floor(nodes / 2)}" lat=&`));
  writeFileSync(small, readFileSync(join(ROOT, 'samples/buses.xml')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** -j 1's outcome, and -j 2's (and -j 3's) the same. */
async function same(args: string[], stdin?: string): Promise<Awaited<ReturnType<typeof runBin>>> {
  const one = await runBin(args, stdin);
  for (const j of ['2', '3']) expect(await runBin([...args, '-j', j], stdin), `-j ${j} ${args.join(' ')}`).toEqual(one);
  return one;
}

describe('per record and per decoder: passed to the workers', () => {
  it('--encoding: a file that lies (UTF-8 said, ISO-8859-1 written) is still cut, and reads as on one core', async () => {
    const one = await same([latin, '-e', 'node', '-f', 'ndjson', '--encoding', 'ISO-8859-1']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('"@v":"café ');
    const verbose = await runBin([latin, '-e', 'node', '-f', 'ndjson', '--encoding', 'ISO-8859-1', '-j', '2', '--verbose']);
    expect(verbose.stderr).toMatch(/^xml2json: .*latin\.xml: \d+ ranges on 2 workers\n$/u);
    // without it, the first é is a fault at the same place on both
    expect((await same([latin, '-e', 'node', '-f', 'ndjson'])).stderr).toMatch(/latin\.xml:\d+:\d+: /u);
  });

  it('--encoding UTF-16LE cannot be cut: read on one core, and --verbose says why', async () => {
    const args = [utf16, '-e', 'node', '-f', 'ndjson', '--encoding', 'UTF-16LE'];
    const one = await runBin(args);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe((await runBin([utf8, '-e', 'node', '-f', 'ndjson'])).stdout);
    const ran = await runBin([...args, '-j', '2', '--verbose']);
    expect(ran).toEqual({ ...one, stderr: `xml2json: ${utf16}: one core: UTF-16 (--encoding UTF-16LE) is not cut into ranges\n` });
  });

  it('--keep-space', async () => {
    const one = await same([utf8, '-e', 'node', '-f', 'ndjson', '--keep-space']);
    expect(one.stdout).toMatch(/"note":"  plain \d+  "/u);
  });

  it('--shape FILE (from --paths -f json, itself the same with -j)', async () => {
    const shape = join(dir, 'nodes.shape.json');
    const paths = await same(['--paths', '-f', 'json', utf8]);
    writeFileSync(shape, paths.stdout);
    const one = await same([utf8, '-e', 'node', '-f', 'ndjson', '--shape', shape]);
    const lines = one.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { tag?: unknown; note?: unknown });
    expect(lines.length).toBe(nodes);
    expect(lines.every((node) => (node.tag === undefined || Array.isArray(node.tag)) && (node.note === undefined || typeof node.note === 'object'))).toBe(true);
    expect((await runBin(['--paths', utf8, '-j', '2', '--verbose'])).stderr).toBe('xml2json: --paths: one core: an element is counted in its parent, in document order\n');
  });
});

describe('--limit N with -j: the first N records in input order, then it stops', () => {
  // (a range is 1 MiB, some 10,000 nodes: 15,000 and 25,000 end inside the second and third)
  it.each([1, 5000, 15000, 25000, nodes, nodes + 5])('%s', async (n) => {
    const one = await same([utf8, '-e', 'node', '-f', 'ndjson', '--limit', String(n)]);
    expect(one.stdout.split('\n').length - 1).toBe(Math.min(n, nodes));
  });

  it.each([15000, 25000])('%s as a JSON array and as a count', async (n) => {
    expect(JSON.parse((await same([utf8, '-e', 'node', '--limit', String(n)])).stdout)).toHaveLength(n);
    expect((await same([utf8, '-e', 'node', '--count', '--limit', String(n)])).stdout).toBe(`${n}\n`);
  });

  it('after --where, across FILEs (a small one read here, then ranges, then stdin)', async () => {
    const args = [small, utf8, '-', '-e', 'node', '-e', 'bus', '-w', '@lat~^1', '-f', 'ndjson'];
    for (const n of ['3', '900', '2000', '20000']) expect((await same([...args, '--limit', n], readFileSync(small, 'utf8'))).code).toBe(0);
  });

  it('a fault after the Nth record is not reported', async () => {
    const one = await same([dirty, '-e', 'node', '-f', 'ndjson', '--limit', '20']);
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect((await same([dirty, '-e', 'node', '-f', 'ndjson', '--limit', '100'])).code).toBe(1);
  });

  it("records()'s limit with jobs: the same records", async () => {
    // the built package: workers run dist/parallel/worker.js
    const { records } = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as typeof import('../../src/index.js');
    const all = async (options: { jobs?: number }): Promise<unknown[]> => {
      const out: unknown[] = [];
      for await (const record of records(utf8, { element: 'node', where: { '@lat': /^2/u }, limit: 777, ...options })) out.push(record);
      return out;
    };
    const one = await all({});
    expect(one.length).toBe(777);
    expect(await all({ jobs: 2 })).toEqual(one);
  });

  it("records()'s shape with jobs: the same records", async () => {
    const { records } = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as typeof import('../../src/index.js');
    const all = async (options: { jobs?: number }): Promise<unknown[]> => {
      const out: unknown[] = [];
      for await (const record of records(utf8, { element: 'node', shape: 'tag array\nnote object', ...options })) out.push(record);
      return out;
    };
    const one = await all({});
    expect(one.filter((node) => Array.isArray((node as { tag?: unknown }).tag)).length).toBeGreaterThan(nodes / 2);
    expect(await all({ jobs: 2 })).toEqual(one);
  });
});

describe('--on-error skip with -j: read on one core, the same lines', () => {
  it('the same records, the same skipped lines, numbers and --errors FILE, exit 1', async () => {
    const errors = (j: string) => join(dir, `skipped-${j}.ndjson`);
    const one = await runBin([dirty, '-e', 'node', '-f', 'ndjson', '--on-error', 'skip', '--errors', errors('1')]);
    expect(one.code).toBe(1);
    expect(one.stderr.split('\n').filter((line) => / skipped record /u.test(line))).toHaveLength(3);
    const two = await runBin([dirty, '-e', 'node', '-f', 'ndjson', '--on-error', 'skip', '--errors', errors('2'), '-j', '2']);
    expect(two).toEqual({ ...one, stderr: one.stderr.replace(errors('1'), errors('2')) });
    expect(readFileSync(errors('2'), 'utf8')).toBe(readFileSync(errors('1'), 'utf8'));
    const verbose = await runBin([dirty, '-e', 'node', '-f', 'ndjson', '--on-error', 'skip', '-j', '2', '--verbose']);
    expect(verbose.stderr.split('\n')[0]).toBe(`xml2json: ${dirty}: one core: --on-error skip reads on after a fault in order, counting the records from the start`);
  });
});

describe('with --shard K/N: refused, they count from the file\'s start', () => {
  it.each([
    [['--limit', '5'], /--shard K\/N with --limit N/u],
    [['--on-error', 'skip'], /--shard K\/N with --on-error skip/u],
  ])('%j', async (args, message) => {
    const ran = await runBin([utf8, '-e', 'node', '-f', 'ndjson', '--shard', '1/2', ...args]);
    expect(ran).toMatchObject({ code: 2, stdout: '' });
    expect(ran.stderr).toMatch(message);
  });
});

describe('several FILEs with -j: --keep-going and --with-file', () => {
  it.each([
    ['NDJSON', ['-f', 'ndjson']],
    ['a JSON array', []],
    ['CSV', ['-f', 'csv', '--fields', '@id,@lat,id']],
    ['a count', ['--count']],
  ])('%s: a FILE that fails in a range, one that is missing, one read here, stdin', async (_name, args) => {
    const files = [utf8, late, dirty, join(dir, 'missing.xml'), small, latin, '-', utf8];
    const withFile = args.includes('--count') ? [] : ['--with-file'];
    const one = await same([...files, '-e', 'node', '-e', 'bus', ...args, ...withFile, '--keep-going'], readFileSync(small, 'utf8'));
    expect(one.code).toBe(1);
    expect(one.stderr.split('\n').slice(-2)).toEqual(['xml2json: 4 of 8 FILEs failed (--keep-going)', '']);
    if (withFile.length > 0) expect(one.stdout.split(late).length - 1).toBe(Math.floor(nodes / 2)); // its records before the fault
  });
});
