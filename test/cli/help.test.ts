// --help: grouped options, each with its default, real examples (the bus job first); --version.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/run-bin.js';
import { helpExamples, helpOptions, scratch, sh } from './shell.js';

const help = (await runBin(['--help'])).stdout;

describe('xml2json --help', () => {
  it('groups the options: Input, Records, Output, Conversion, Other', () => {
    const groups = help.split('\n').filter((line) => /^[A-Z][a-z]+:$/u.test(line));
    expect(groups).toEqual(['Input:', 'Records:', 'Output:', 'Conversion:', 'Other:', 'Examples:']);
  });

  it('gives every option its default', () => {
    const entries = helpOptions(help);
    expect(entries.length).toBeGreaterThanOrEqual(10);
    for (const entry of entries) expect(entry).toMatch(/\[default: [^\]]+\]/u);
  });

  it('labels each flag by what it takes: numbers as [number], with its name for the value', () => {
    for (const flag of ['--max-depth N', '--max-text N', '--max-record N', '--pretty [N]']) {
      expect(help).toMatch(new RegExp(`\\n +${flag.replace('[', '\\[').replace(']', '\\]')} [^\\n]*(\\n {10,}[^\\n]*)*\\[number\\]`, 'u'));
    }
    expect(help).not.toMatch(/--max-depth[^\n]*\[string\]/u);
  });

  it("shows the course's bus job first", () => {
    expect(helpExamples(help)[0]![1]).toBe('xml2json allroutes.xml -e bus -w route=22 -w "direction=North Bound" -f csv --fields route,id,direction,latitude,longitude');
  });

  it('shows examples that run as written (the bus job on our sample feed; two files made for the last)', async () => {
    const dir = scratch();
    copyFileSync(join(ROOT, 'samples/buses.xml'), join(dir, 'a.xml'));
    copyFileSync(join(ROOT, 'samples/buses.xml'), join(dir, 'b.xml'));
    copyFileSync(join(ROOT, 'samples/buses.xml'), join(dir, 'allroutes.xml'));
    const all = helpExamples(help);
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const [what, line] of all) {
      const { code, stdout, stderr } = await sh(line.replaceAll('samples/', `${ROOT}/samples/`), dir);
      expect({ what, code, stderr }).toEqual({ what, code: 0, stderr: '' });
      if (!line.includes(' -o ')) expect(stdout).not.toBe('');
    }
    expect(readFileSync(join(dir, 'buses.csv'), 'utf8').split('\n')).toHaveLength(602); // header, 2 × 300, last newline
  });
});

describe('xml2json --version', () => {
  it("prints package.json's version", async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runBin(['--version'])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });
});

describe("README's Command line section", () => {
  it('shows the --help that xml2json prints', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = readme.slice(readme.indexOf('$ xml2json --help\n') + 18).split('\n```\n')[0]!;
    expect(`${shown}\n`).toBe(help);
  });
});
