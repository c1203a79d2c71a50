// Every samples/*.mjs is a test: it imports cosax by its own name and asserts its own output.
// README's library examples are these files, word for word; together they use every export.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as cosax from '../src/index.js';
import { ROOT } from './helpers/run-bin.js';

const run = promisify(execFile);
const SAMPLES = join(ROOT, 'samples');
const GENERATOR = 'generate-buses.mjs';
const samples = readdirSync(SAMPLES).filter((file) => file.endsWith('.mjs') && file !== GENERATOR).sort();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const library = readme.slice(readme.indexOf('\n## Library\n'), readme.indexOf('\n## ', readme.indexOf('\n## Library\n') + 1));

describe('samples', () => {
  it('are there', () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
  });

  it.each(samples)('%s runs and its assertions hold', async (file) => {
    // Run from elsewhere: a sample finds its data by import.meta.url and cosax by its own name.
    const { stdout, stderr } = await run(process.execPath, [join(SAMPLES, file)], { cwd: SAMPLES });
    expect(stderr).toBe('');
    expect(stdout).toBe('');
  });

  it.each(samples)("%s is in README's Library section, word for word", (file) => {
    const code = readFileSync(join(SAMPLES, file), 'utf8');
    expect(library).toContain('```js\n' + code + '```\n');
  });

  it('use every export of the package, and README names each one', () => {
    const code = samples.map((file) => readFileSync(join(SAMPLES, file), 'utf8')).join('\n');
    const unused = Object.keys(cosax).filter((name) => !new RegExp(`\\b${name}\\b`).test(code));
    const unnamed = Object.keys(cosax).filter((name) => !library.includes('`' + name));
    expect({ unused, unnamed }).toEqual({ unused: [], unnamed: [] });
  });

  it(`${GENERATOR} regenerates samples/buses.xml byte for byte`, async () => {
    const { stdout } = await run(process.execPath, [join(SAMPLES, GENERATOR), '--buses', '300'], { maxBuffer: 1 << 24 });
    expect(stdout).toBe(readFileSync(join(SAMPLES, 'buses.xml'), 'utf8'));
  });
});
