// Sinks: the emitters' write() gathers text; drained() hands it to the stream in one write and
// waits for 'drain' when the stream's buffer is full — the backpressure that keeps memory flat.
// A file sink writes beside its target and renames into place only when the run succeeds; a failed
// run keeps what it wrote beside the target, as FILE.partial: nothing lost, nothing replaced.

import { once } from 'node:events';
import { createWriteStream, unlinkSync } from 'node:fs';
import { chmod, link, lstat, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

export interface Sink {
  /** text, or bytes already encoded as UTF-8 (-j's workers encode their output themselves) */
  write(text: string | Uint8Array): void;
  /** hands over what was written; rejects with the stream's error (EPIPE when the reader has gone) */
  drained(): Promise<void>;
  /** resolves once everything handed over has left the process: bytes given to write() may be used again */
  flushed(): Promise<void>;
  /** the run succeeded: everything out, and a file put in place */
  finish(): Promise<void>;
  /** the run failed: everything complete goes out; a file sink's output, if any, is kept as FILE.partial, whose name it returns */
  abort(): Promise<string | undefined>;
}

const TEXT_BYTES = 256 * 1024; // a buffer the text is encoded into
const SPARE = 4; // such buffers kept for the next text

export function streamSink(out: Writable): Sink {
  let parts: Array<string | Uint8Array> = [];
  let failure: Error | undefined;
  let writing = 0; // writes the stream has not yet said are done
  const done: Array<() => void> = [];
  const wrote = (): void => {
    if (--writing === 0) for (const resolve of done.splice(0)) resolve();
  };
  // Text is encoded into buffers used again once the stream is done with them: the stream's own encoding
  // into fresh memory costs a page fault every 4 KB.
  const spare: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const writeText = (text: string): boolean => {
    const bytes = spare.pop() ?? new Uint8Array(TEXT_BYTES);
    const { read, written } = encoder.encodeInto(text, bytes);
    writing++;
    const room = out.write(bytes.subarray(0, written), () => {
      if (spare.length < SPARE) spare.push(bytes);
      wrote();
    });
    return read === text.length ? room : out.write(text.slice(read)) && room; // the rest of a long text as it is
  };
  // Kept for the whole process: an EPIPE reported after the last write must not become a crash.
  out.on('error', (error: Error) => {
    failure ??= error;
  });
  const drained = async (): Promise<void> => {
    if (failure !== undefined) throw failure;
    if (parts.length === 0) return;
    const given = parts;
    parts = [];
    // Text in one write; bytes as they are (joining them would copy them once more).
    let full = false;
    for (let i = 0; i < given.length; ) {
      let j = i;
      while (j < given.length && typeof given[j] === 'string') j++;
      if (j > i) full = !writeText(given.slice(i, j).join('')) || full;
      if (j < given.length) {
        writing++;
        full = !out.write(given[j]!, wrote) || full;
      }
      i = j + 1;
    }
    if (full) await once(out, 'drain');
  };
  return {
    write(text) {
      parts.push(text);
    },
    drained,
    flushed: () => (writing === 0 ? Promise.resolve() : new Promise((resolve) => done.push(resolve))),
    finish: drained,
    async abort() {
      await drained().catch(() => undefined); // what was complete before the fault still goes out
      return undefined;
    },
  };
}

/** -o's FILE names stdout when it is missing, '-' or /dev/stdout. */
export function isStdout(output: string | undefined): output is '-' | '/dev/stdout' | undefined {
  return output === undefined || output === '-' || output === '/dev/stdout';
}

/** The sink -o FILE names: stdout, the stderr stream itself for /dev/stderr, or else a file put in place at the end. */
export async function outputSink(output: string | undefined, io: { stdout: Writable; stderr: Writable }): Promise<Sink> {
  if (isStdout(output)) return streamSink(io.stdout);
  return output === '/dev/stderr' ? streamSink(io.stderr) : fileSink(output);
}

/**
 * Writes to a temporary file in the target's directory; `finish()` renames it into place. A target
 * that exists and is not a regular file (a FIFO, a device) is written to as it is, since renaming
 * over it would replace it; /dev/fd/N is descriptor N.
 */
export async function fileSink(path: string): Promise<Sink> {
  // /dev/fd/N: the descriptor itself, at its offset (opening the path anew would write from the start).
  const fd = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/u.exec(path)?.[1];
  if (fd !== undefined) return streamSink(createWriteStream('', { fd: Number(fd), autoClose: false }));
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) {
    const out = createWriteStream(path, { flags: 'a' });
    await once(out, 'open');
    return endingSink(out);
  }
  // Through a symbolic link, the file it points to is replaced, and the link stays.
  const target = existing === undefined || !(await lstat(path)).isSymbolicLink() ? path : await realpath(path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  // Interrupted (Ctrl-C): leave nothing behind, then die of the signal as a tool should.
  // Listening before the file exists, so no moment leaves it behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    removeQuietly(temporary);
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('SIGHUP', onSignal);
  const forgetSignals = (): void => {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  };
  const out = createWriteStream(temporary, { flags: 'wx' });
  try {
    await once(out, 'open');
  } catch (error) {
    forgetSignals();
    throw error;
  }
  const sink = streamSink(out);
  return {
    write: sink.write,
    drained: sink.drained,
    flushed: sink.flushed,
    async finish() {
      await sink.drained();
      out.end();
      await once(out, 'close');
      if (existing !== undefined) await chmod(temporary, existing.mode); // replacing a file keeps its permissions
      await rename(temporary, target);
      forgetSignals();
    },
    async abort() {
      await sink.abort();
      out.end();
      await finished(out).catch(() => undefined); // a write that failed (a full disk) leaves what it could
      forgetSignals();
      const size = await stat(temporary).then((s) => s.size, () => 0);
      if (size === 0) {
        await unlink(temporary).catch(() => undefined);
        return undefined;
      }
      return keptAside(temporary, target);
    },
  };
}

/** Gives the temporary file the first free name of FILE.partial, FILE.partial.2, …: a hard link never replaces a file. */
async function keptAside(temporary: string, target: string): Promise<string> {
  for (let n = 1; n <= 100; n++) {
    const name = n === 1 ? `${target}.partial` : `${target}.partial.${n}`;
    try {
      await link(temporary, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return temporary; // a file system without hard links: the output stays under its temporary name
    }
    await unlink(temporary);
    return name;
  }
  return temporary;
}

/** A stream sink that ends its stream when finished (a FIFO's reader sees the end). */
function endingSink(out: Writable): Sink {
  const sink = streamSink(out);
  return {
    ...sink,
    async finish() {
      await sink.drained();
      out.end();
      await once(out, 'finish');
    },
  };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
