// Sinks: the emitters' write() gathers text; drained() hands it to the stream in one write and
// waits for 'drain' when the stream's buffer is full — the backpressure that keeps memory flat.
// A file sink writes beside its target and renames into place only when the run succeeds.

import { once } from 'node:events';
import { createWriteStream, unlinkSync } from 'node:fs';
import { chmod, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

export interface Sink {
  write(text: string): void;
  /** hands over what was written; rejects with the stream's error (EPIPE when the reader has gone) */
  drained(): Promise<void>;
  /** the run succeeded: everything out, and a file put in place */
  finish(): Promise<void>;
  /** the run failed: a file sink leaves nothing behind */
  abort(): Promise<void>;
}

export function streamSink(out: Writable): Sink {
  let parts: string[] = [];
  let failure: Error | undefined;
  // Kept for the whole process: an EPIPE reported after the last write must not become a crash.
  out.on('error', (error: Error) => {
    failure ??= error;
  });
  const drained = async (): Promise<void> => {
    if (failure !== undefined) throw failure;
    if (parts.length === 0) return;
    const text = parts.join('');
    parts = [];
    if (!out.write(text)) await once(out, 'drain');
  };
  return {
    write(text) {
      parts.push(text);
    },
    drained,
    finish: drained,
    async abort() {
      await drained().catch(() => undefined); // what was complete before the fault still goes out
    },
  };
}

/** Writes to a temporary file in the target's directory; `finish()` renames it into place. */
export async function fileSink(path: string): Promise<Sink> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
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
    async finish() {
      await sink.drained();
      out.end();
      await once(out, 'close');
      const mode = await stat(path).then((existing) => existing.mode, () => undefined);
      if (mode !== undefined) await chmod(temporary, mode); // replacing a file keeps its permissions
      await rename(temporary, path);
      forgetSignals();
    },
    async abort() {
      out.destroy();
      await unlink(temporary).catch(() => undefined);
      forgetSignals();
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
