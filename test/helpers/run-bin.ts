// Runs the built CLI as a user would: node bin/xml2json.js ARGS, with optional stdin.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/xml2json.js', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBin(args: string[], stdin?: string | Uint8Array): Promise<Ran> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
  child.stdin.end(stdin);
  return outcome(child);
}

/** What a spawned process printed, and its exit status, once it has ended. */
export function outcome(child: ChildProcessByStdio<Writable | null, Readable, Readable>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
