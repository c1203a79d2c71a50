// What both commands (src/cli.ts, src/cli/json2xml.ts) share: their I/O, bad usage, the inputs looked
// at before anything is written, and one line per error. Light to import: --help and --version load
// nothing else.

import { type Stats, fstat, readFileSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { Parsed } from '../flags.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** After a failed run's error line: where -o FILE's output, all that was complete before the fault, was kept. */
export function sayKept(stderr: Writable, command: string, kept: string | undefined, output: string): void {
  if (kept !== undefined) stderr.write(`${command}: the output before the fault is in ${kept} (${output} is not replaced)\n`);
}

/** Bad usage: exit 2, with a hint to --help. */
export class UsageError extends Error {}

// Option groups of --help, in this order.
export const GROUP = { input: 'Input:', records: 'Records:', output: 'Output:', conversion: 'Conversion:', other: 'Other:' } as const;

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** What a command's start needs to know of it. */
export interface Command<S> {
  name: string;
  /** what stdin would be typed as, for the hint when it is a terminal (XML, JSON) */
  input: string;
  flags(): Parsed;
  help(width: number): string;
  settingsOf(parsed: Parsed): S;
}

/**
 * A command's start, the same for both: the flags read, --help and --version answered (exit 0), bad
 * usage one line and exit 2 — or the settings of a run.
 */
export function settingsOrExit<S extends object>(command: Command<S>, io: Io): S | number {
  try {
    const parsed = asUsage(command.flags);
    if (parsed.values.has('help')) {
      io.stdout.write(command.help(Math.min(100, (io.stdout as { columns?: number }).columns ?? 100)));
      return 0;
    }
    if (parsed.values.has('version')) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const settings = command.settingsOf(parsed);
    // A bare command at a prompt says what it wants rather than seem to hang waiting for typed input.
    if (parsed.positionals.length === 0 && isTTY(io.stdin)) throw new UsageError(`no FILE, and stdin is a terminal (give - to type the ${command.input})`);
    return settings;
  } catch (error) {
    io.stderr.write(`${command.name}: ${oneLine(error)}\nTry '${command.name} --help'.\n`);
    return 2;
  }
}

/** Runs a check whose error is then a usage error, after `prefix` (what was being read). */
export function asUsage<T>(check: () => T, prefix = ''): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(prefix + (error as Error).message);
  }
}

export function oneLine(error: unknown): string {
  // a message of several lines (a stage's own error) is kept, on one
  return (error instanceof Error ? error.message : String(error)).trim().replaceAll(/\s*\n\s*/gu, ' ');
}

const IO_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  Z_DATA_ERROR: 'not valid gzip data',
  Z_BUF_ERROR: 'gzip data cut short',
};

/** An I/O error's reason in words where its code has some, else its message on one line. */
export function ioWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && Object.hasOwn(IO_REASONS, code) ? IO_REASONS[code]! : oneLine(error);
}

/** An I/O error's one line, naming `file`. */
export function ioReason(error: unknown, file: string): string {
  return `${file}: ${ioWords(error)}`;
}

export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

export function isTTY(stream: Readable | Writable): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** A FILE that can be read (its size is known when it is a regular file, not a pipe or a device). */
export async function readableStats(file: string): Promise<Stats> {
  const found = await stat(file);
  if (found.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  await access(file, constants.R_OK);
  return found;
}

/** What stdin is, when it is a file (`< big.json`); nothing for a pipe or a terminal. */
export async function stdinStats(stdin: Readable): Promise<Stats | undefined> {
  const fd = (stdin as { fd?: number }).fd;
  if (fd === undefined) return undefined;
  return new Promise<Stats | undefined>((resolve) => fstat(fd, (error, stats) => resolve(error === null ? stats : undefined)));
}

/** Why -o FILE (or `flag` FILE) would destroy what a shell's `>` would not: FILE is an input, or read-only. */
export async function refusedOutput(output: string, inputs: readonly Stats[], flag = '-o'): Promise<string | undefined> {
  const found = await stat(output).catch(() => undefined); // through a symbolic link: the file it names
  if (found === undefined || !found.isFile()) return undefined;
  if (inputs.some((input) => input.dev === found.dev && input.ino === found.ino)) return `${flag} ${output} is also an input, which it would replace: write elsewhere, then rename`;
  // (mode & 0o222) too: root may write any file, but a file no one may write is not to be replaced
  const writable = (found.mode & 0o222) !== 0 && (await access(output, constants.W_OK).then(() => true, () => false));
  return writable ? undefined : `${flag} ${output} is read-only: make it writable to replace it, or write elsewhere`;
}
