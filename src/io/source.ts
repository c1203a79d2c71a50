// Sources: a file or stdin, as an async iterable of byte chunks.

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

export interface Source {
  /** the name errors give: the path, or "<stdin>" */
  name: string;
  chunks: Readable;
}

const CHUNK = 64 * 1024;

/** FILE, or stdin for "-" or no FILE. */
export function openSource(file: string | undefined, stdin: Readable = process.stdin): Source {
  if (file === undefined || file === '-') return { name: '<stdin>', chunks: stdin };
  return { name: file, chunks: createReadStream(file, { highWaterMark: CHUNK }) };
}
