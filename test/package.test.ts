// The package as a user gets it: npm pack → the tarball laid out in a fresh project as npm installs it
// → used through import, through require, from TypeScript checked by tsc, and its bin. Hermetic: no
// registry and no npm cache — the tarball is unpacked by tar, and the dependencies its package.json
// declares are linked from our node_modules (and nothing else beside it), so an undeclared one fails.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-bin.js';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

let dir: string;
let app: string;
let packed: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cosax-pack-'));
  app = join(dir, 'app');
  // dist/ is already built by `pretest`; packing must not rebuild it while other tests read it.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info!.files.map((file) => file.path);
  const installed = join(app, 'node_modules', 'cosax');
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('tar', ['-xzf', join(dir, info!.filename), '-C', installed, '--strip-components=1']);
  manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Manifest;
  // Its dependencies, linked: Node finds theirs from where the links lead, as npm would lay them out.
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
  }
  mkdirSync(join(app, 'node_modules', '.bin'));
  for (const [command, file] of Object.entries(manifest.bin)) symlinkSync(join('..', 'cosax', file), join(app, 'node_modules', '.bin', command));
}, 120_000);

interface Manifest {
  dependencies?: Record<string, string>;
  bin: Record<string, string>;
  scripts?: Record<string, string>;
}
let manifest: Manifest;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (file: string) => run(process.execPath, [file], { cwd: app });

describe('the packed tarball', () => {
  it('has no install script (npm warns of one) and holds the MIT licence', () => {
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => /^(pre|post)?install$|^prepare$/u.test(name))).toEqual([]);
    expect(packed).toContain('LICENSE');
    expect(readFileSync(join(app, 'node_modules', 'cosax', 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/u);
  });

  it('holds the built code, its types, the bin and the README — no sources, tests, samples or source maps', () => {
    expect(packed).toContain('dist/index.js');
    expect(packed).toContain('dist/index.d.ts');
    expect(packed).toContain('bin/xml2json.js');
    expect(packed).toContain('package.json');
    expect(packed).toContain('README.md');
    expect(packed.filter((path) => !/^(dist\/.*\.(js|d\.ts)|bin\/(?:xml2json|json2xml)\.js|package\.json|README\.md|LICENSE)$/.test(path))).toEqual([]);
  });

  it('works through import', async () => {
    writeFileSync(join(app, 'esm.mjs'), `
import assert from 'node:assert/strict';
import { convert, records, XmlSyntaxError } from 'cosax';
assert.deepEqual(convert('<a x="1">t</a>'), { a: { '@x': '1', '#text': 't' } });
const seen = [];
await assert.rejects(async () => {
  for await (const record of records(['<r><b>1</b><b>2</b>'], { element: 'b' })) seen.push(record);
}, XmlSyntaxError);
assert.deepEqual(seen, ['1', '2']);
console.log('import ok');
`);
    const { stdout, stderr } = await node('esm.mjs');
    expect(stdout).toBe('import ok\n');
    expect(stderr).toBe('');
  });

  it('works through require (Node >= 20.19 loads ESM with require)', async () => {
    writeFileSync(join(app, 'cjs.cjs'), `
const assert = require('node:assert/strict');
const { convert, XmlSyntaxError, coroutine } = require('cosax');
assert.deepEqual(convert('<a><b>1</b><b>2</b></a>'), { a: { b: ['1', '2'] } });
assert.throws(() => convert('<a>'), XmlSyntaxError);
assert.equal(typeof coroutine, 'function');
console.log('require ok');
`);
    const { stdout, stderr } = await node('cjs.cjs');
    expect(stdout).toBe('require ok\n');
    expect(stderr).toBe(''); // no ExperimentalWarning
  });

  it('type-checks from TypeScript, ESM and CommonJS, with or without the DOM library, and the types are the real ones', async () => {
    writeFileSync(join(app, 'check.ts'), `
import { type Json, RecordTransformStream, type XmlEvent, XmlSyntaxError, convert, coroutine, ndjsonTransform, recordTransform, records, send } from 'cosax';
const value: Json = convert('<a/>');
for await (const record of records(['<a/>'], { element: 'a', where: { id: '1' } })) console.log(record, value);
const sink = coroutine(function* (): Generator<unknown, void, XmlEvent> { for (;;) console.log(yield); });
send(sink(), { type: 'end', name: 'a' });
// @ts-expect-error element is required
records('feed.xml', {});
interface Bus { id: string; route: string }
for await (const bus of records<Bus>('buses.xml', { element: 'bus', where: (bus) => bus.route === '22' })) {
  const id: string = bus.id;
  // @ts-expect-error a Bus has no such field
  console.log(id, bus.latitude);
}
// @ts-expect-error an XmlEvent has a type
send(sink(), { name: 'a' });
export const error: XmlSyntaxError = new XmlSyntaxError('bad', { line: 1, column: 2 });
const web: ReadableStream<Bus> = new Blob(['<r/>']).stream().pipeThrough(new RecordTransformStream<Bus>({ element: 'bus' }));
export const transforms = [web, recordTransform({ element: 'bus' }).pipe(ndjsonTransform({ element: 'x' }))];
`);
    writeFileSync(join(app, 'check.cts'), `
import cosax = require('cosax');
export const value: cosax.Json = cosax.convert('<a/>');
`);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
      include: ['check.ts', 'check.cts'],
    }));
    writeFileSync(join(app, 'tsconfig.node.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { lib: ['es2023'] } }));
    await expect(run(TSC, ['-p', '.'], { cwd: app })).resolves.toMatchObject({ stdout: '' }); // with the DOM's web streams
    await expect(run(TSC, ['-p', 'tsconfig.node.json'], { cwd: app })).resolves.toMatchObject({ stdout: '' }); // with Node's only
  });

  it('installs the xml2json command', async () => {
    writeFileSync(join(app, 'doc.xml'), '<r><x>1</x><x>2</x></r>');
    const { stdout } = await run(join(app, 'node_modules', '.bin', 'xml2json'), ['doc.xml', '-e', 'x', '-f', 'ndjson'], { cwd: app });
    expect(stdout).toBe('"1"\n"2"\n');
  });
});
