// records(file, { jobs }): the records of one core, in order, read on worker threads (the built package:
// workers run dist/parallel/worker.js).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-bin.js';

type Records = (source: string, options: Record<string, unknown>) => AsyncGenerator<unknown>;
let records: Records;
const dir = mkdtempSync(join(tmpdir(), 'cosax-records-'));
const feed = join(dir, 'feed.xml');
const broken = join(dir, 'broken.xml');

beforeAll(async () => {
  ({ records } = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as { records: Records });
  execFileSync(process.execPath, [join(ROOT, 'samples/generate-buses.mjs'), '--mb', '4', '--out', feed]);
  const text = readFileSync(feed, 'utf8');
  writeFileSync(broken, text.slice(0, text.lastIndexOf('<bus>')) + '<bus><id>1</oops>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(options: Record<string, unknown>, file = feed): Promise<{ got: unknown[]; error?: unknown }> {
  const got: unknown[] = [];
  try {
    for await (const record of records(file, options)) got.push(record);
    return { got };
  } catch (error) {
    return { got, error };
  }
}

describe('records(file, { jobs })', () => {
  it.each([
    ['every bus', { element: 'bus' }],
    ['an object where, and coerce after it', { element: 'bus', where: { route: '22' }, coerce: true }],
    ['a where test', { element: 'bus', where: (bus: { latitude: string }) => Number(bus.latitude) > 41.9 }],
    ['several elements, tagged', { element: ['id', 'route'], tag: true }],
  ])('%s: the same records, in the same order', async (_name, options) => {
    const one = await all(options);
    expect(one.got.length).toBeGreaterThan(100);
    expect(await all({ ...options, jobs: 2 })).toEqual(one);
    expect(await all({ ...options, jobs: 0 })).toEqual(one);
  });

  it('leaving the loop early stops the workers', async () => {
    let n = 0;
    for await (const _ of records(feed, { element: 'bus', jobs: 2 })) if (++n === 3) break;
    expect(n).toBe(3);
  });

  it('a fault: every record before it, then the same XmlSyntaxError', async () => {
    const one = await all({ element: 'bus' }, broken);
    const many = await all({ element: 'bus', jobs: 2 }, broken);
    expect(one.error).toMatchObject({ name: 'XmlSyntaxError', code: 'XML_SYNTAX' });
    expect(many.got).toEqual(one.got);
    expect(many.error).toMatchObject({ message: (one.error as Error).message, line: (one.error as { line: number }).line, column: (one.error as { column: number }).column });
  });

  it('refuses a number of jobs that cannot be', async () => {
    await expect(all({ element: 'bus', jobs: -1 })).resolves.toMatchObject({ error: expect.objectContaining({ message: expect.stringMatching(/option jobs: expected a number of worker threads/u) }) });
  });
});
