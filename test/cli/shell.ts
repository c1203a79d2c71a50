// Runs the built CLI the ways a user does beyond runBin: in a shell pipeline, and under a real
// terminal (a pty made by util-linux's `script`, so stderr.isTTY is true as in a user's terminal).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BIN, ROOT, type Ran, outcome } from '../helpers/run-bin.js';

/** `xml2json` in a command line stands for the built bin. */
export function sh(command: string, cwd = ROOT): Promise<Ran> {
  const line = withBin(command);
  return outcome(spawn('bash', ['-c', line], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The examples: [what, command line] pairs, as either command's --help prints them. */
export function helpExamples(help: string): Array<[string, string]> {
  const lines = help.slice(help.indexOf('\nExamples:\n') + 11).split('\n');
  const pairs: Array<[string, string]> = [];
  for (let i = 0; lines[i]?.startsWith('  # '); i += 2) pairs.push([lines[i]!.slice(4), lines[i + 1]!.trim()]);
  return pairs;
}

/** The option entries of a --help (an entry's first line and its continuation lines), but --help's and --version's own. */
export function helpOptions(help: string): string[] {
  const options = help.slice(0, help.indexOf('\nExamples:\n'));
  return options.split(/\n(?= +(?:-\w, )?--)/u).filter((entry) => /^ +(?:-\w, )?--/u.test(entry) && !/--(help|version)\b/u.test(entry.split('\n')[0]!));
}

/** Runs a command line in a pseudo-terminal; stdout is what the terminal showed (both streams, unless redirected). */
export function inTerminal(command: string, cwd = ROOT): Promise<Ran> {
  return sh(`script -qec ${quote(withBin(command))} /dev/null`, cwd);
}

const JSON2XML = join(ROOT, 'bin/json2xml.js');

/** The words xml2json and json2xml where a command stands, not inside a path. */
function withBin(command: string): string {
  return command
    .replace(/(^|[\s|;&(])xml2json(?=[\s;|&)]|$)/gu, `$1"${process.execPath}" "${BIN}"`)
    .replace(/(^|[\s|;&(])json2xml(?=[\s;|&)]|$)/gu, `$1"${process.execPath}" "${JSON2XML}"`);
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

// Scratch directories (some hold feeds of megabytes) go when the test file is done.
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cosax-cli-'));
  made.push(dir);
  return dir;
}

/** A bus feed of about `mb` megabytes (the sample generator's), for runs long enough to watch. */
export async function bigFeed(dir: string, mb: number): Promise<string> {
  const path = join(dir, 'buses.xml');
  const ran = await sh(`node samples/generate-buses.mjs --mb ${mb} --out ${quote(path)}`);
  if (ran.code !== 0) throw new Error(ran.stderr);
  return path;
}
