// What both commands share: their I/O, bad usage, and one line per error (copied from src/cli.ts,
// which can take them from here).

import { readFileSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { Argv } from 'yargs';
import { XmlSyntaxError } from '../errors.js';
import { ToXmlError } from '../json/errors.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** Bad usage: exit 2, with a hint to --help. */
export class UsageError extends Error {}

// Option groups of --help, in this order.
export const GROUP = { input: 'Input:', records: 'Records:', output: 'Output:', conversion: 'Conversion:', other: 'Other:' } as const;

/** What a command's options end with: --help and --version, unknown options refused, bad usage thrown as UsageError. */
export function helpAndUsage<T>(command: Argv<T>, width: number): Argv<T> {
  return command
    .group(['help', 'version'], GROUP.other)
    .strictOptions()
    .help()
    .alias('help', 'h')
    .version(version())
    .wrap(width)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export function oneLine(error: unknown): string {
  // yargs writes some messages over two lines ("Invalid values:\n  Argument: …"): keep them, on one.
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

/** The one line of an error: a fault in the input says where itself; an I/O error names `file`. */
export function describe(error: unknown, file: string): string {
  if (error instanceof XmlSyntaxError || error instanceof ToXmlError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code !== undefined && Object.hasOwn(IO_REASONS, code) ? IO_REASONS[code] : oneLine(error);
  return `${file}: ${reason}`;
}

export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** Throws what `stat` or `access` says of a FILE that cannot be read, before anything is written. */
export async function checkReadable(file: string): Promise<void> {
  const found = await stat(file);
  if (found.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  await access(file, constants.R_OK);
}

/** Whether a stream is a terminal. */
export function isTTY(stream: Readable | Writable): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}
