// Output: stdout, or -o FILE put in place only on success; quiet on a closed pipe.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/run-bin.js';
import { bigFeed, scratch, sh } from './shell.js';

const BAD = '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x></r>';

describe('xml2json -o FILE', () => {
  it('writes FILE and nothing to stdout, leaving no temporary file beside it', async () => {
    const dir = scratch();
    const out = join(dir, 'buses.csv');
    const { code, stdout, stderr } = await runBin(['samples/buses.xml', '-e', 'bus', '-w', 'route=22', '-f', 'csv', '--fields', 'id', '-o', out]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(22); // header, 20 buses, and the last newline
    expect(readdirSync(dir)).toEqual(['buses.csv']);
  });

  it('on bad input leaves FILE as it was (or absent), and keeps what stdout would have had as FILE.partial', async () => {
    const dir = scratch();
    const fresh = join(dir, 'fresh.json');
    const bad = await runBin(['-e', 'x', '-o', fresh], BAD);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`xml2json: <stdin>:3:10: the end tag </oops> does not match <v>\nxml2json: the output before the fault is in ${fresh}.partial (${fresh} is not replaced)\n`);
    expect(readdirSync(dir)).toEqual(['fresh.json.partial']);
    expect(readFileSync(`${fresh}.partial`, 'utf8')).toBe('[\n{"v":"1"}\n]\n'); // the first x, complete before the fault
    expect(readFileSync(`${fresh}.partial`, 'utf8')).toBe((await runBin(['-e', 'x'], BAD)).stdout);

    const old = join(dir, 'old.json');
    writeFileSync(old, 'yesterday\n');
    for (const jobs of ['1', '2']) expect((await runBin(['-e', 'x', '-f', 'ndjson', '-j', jobs, '-o', old], BAD)).code).toBe(1);
    expect(readFileSync(old, 'utf8')).toBe('yesterday\n');
    // A .partial already there is never replaced: the next run takes the next free name.
    expect(readdirSync(dir).sort()).toEqual(['fresh.json.partial', 'old.json', 'old.json.partial', 'old.json.partial.2']);
    for (const kept of ['old.json.partial', 'old.json.partial.2']) expect(readFileSync(join(dir, kept), 'utf8')).toBe('{"v":"1"}\n');
  });

  it('on bad input before any output, leaves nothing beside FILE', async () => {
    const dir = scratch();
    const bad = await runBin(['-e', 'x', '-f', 'ndjson', '-o', join(dir, 'out.ndjson')], '<r><x>1</r>');
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')).toHaveLength(2); // the error line only
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces an existing FILE on success, keeping its permissions', async () => {
    const dir = scratch();
    const out = join(dir, 'out.json');
    writeFileSync(out, 'yesterday\n');
    chmodSync(out, 0o640);
    expect((await runBin(['-e', 'x', '-o', out], '<r><x>1</x></r>')).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(['1']);
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });

  it('names FILE when it cannot be written, exit 1', async () => {
    const out = join(scratch(), 'no-such-dir', 'out.json');
    const { code, stderr } = await runBin(['-o', out], '<a/>');
    expect(code).toBe(1);
    expect(stderr).toBe(`xml2json: ${out}: no such file\n`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('xml2json -o FILE that is not a plain new file', () => {
  it('through a symbolic link, replaces the file it points to and keeps the link', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'real.json'), 'old\n');
    symlinkSync('real.json', join(dir, 'link.json'));
    expect((await runBin(['-o', join(dir, 'link.json')], '<a/>')).code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('{"a":null}\n');
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'real.json']);
  });

  it('writes a device as it is, never renaming over it: /dev/stdout, and /dev/full reports a full disk', async () => {
    expect(await runBin(['-o', '/dev/stdout'], '<a/>')).toEqual({ code: 0, stdout: '{"a":null}\n', stderr: '' });
    expect(await runBin(['-o', '/dev/full'], '<a/>')).toEqual({ code: 1, stdout: '', stderr: 'xml2json: /dev/full: no space left on the device\n' });
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('names stdout when it is stdout that cannot be written', async () => {
    const { stdout, stderr } = await sh('xml2json samples/buses.xml -e bus > /dev/full; echo "exit $?"');
    expect(stderr).toBe('xml2json: <stdout>: no space left on the device\n');
    expect(stdout).toBe('exit 1\n');
  });
});

describe('xml2json | head', () => {
  it('stops quietly with exit 0 when the reader closes the pipe', async () => {
    const feed = await bigFeed(scratch(), 8); // far more than a pipe holds
    const { stdout, stderr } = await sh(`xml2json ${feed} -e bus -f ndjson | head -n 2; echo "exit \${PIPESTATUS[0]}"`);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toHaveProperty('route');
    expect(lines[2]).toBe('exit 0');
  });
});

describe('xml2json -o FILE, interrupted', () => {
  it('removes its temporary file on Ctrl-C (SIGINT) and dies of the signal', async () => {
    const dir = scratch();
    const feed = await bigFeed(dir, 20);
    const child = spawn(process.execPath, [BIN, feed, '-e', 'bus', '-f', 'ndjson', '-o', join(dir, 'out.ndjson')], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Wait until the run is under way: its temporary file exists beside the target.
    while (!readdirSync(dir).some((name) => name.endsWith('.tmp'))) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(readdirSync(dir)).toEqual(['buses.xml']);
  });
});

describe('xml2json -o FILE that a shell redirect would not destroy: bad usage, FILE untouched', () => {
  it('refuses FILE when it is an input, also through a symbolic link, a second name, or stdin', async () => {
    const dir = scratch();
    const same = join(dir, 'same.xml');
    writeFileSync(same, '<r><x>1</x></r>');
    symlinkSync('same.xml', join(dir, 'link.xml'));
    for (const command of [`xml2json ${same} -o ${same}`, `xml2json ${join(dir, 'link.xml')} -o ${same}`, `xml2json ${same} -o ${join(dir, 'link.xml')}`, `xml2json -o ${same} < ${same}`]) {
      const { code, stderr } = await sh(command);
      expect({ command, code }).toEqual({ command, code: 2 });
      expect(stderr).toMatch(/^xml2json: -o \S+ is also an input, which it would replace/u);
    }
    expect(readFileSync(same, 'utf8')).toBe('<r><x>1</x></r>');
    expect(readdirSync(dir).sort()).toEqual(['link.xml', 'same.xml']);
  });

  it('refuses a read-only FILE (0444), even to root', async () => {
    const dir = scratch();
    const out = join(dir, 'out.json');
    writeFileSync(out, 'keep\n');
    chmodSync(out, 0o444);
    const { code, stderr } = await runBin(['-o', out], '<a/>');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^xml2json: -o \S+ is read-only/u);
    expect(readFileSync(out, 'utf8')).toBe('keep\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});
