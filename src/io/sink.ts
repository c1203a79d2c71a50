// Sinks: the emitters' write() gathers text; drained() hands it to the stream in one write and
// waits for 'drain' when the stream's buffer is full — the backpressure that keeps memory flat.

import { once } from 'node:events';
import type { Writable } from 'node:stream';

export interface Sink {
  write(text: string): void;
  drained(): Promise<void>;
}

export function streamSink(out: Writable): Sink {
  let parts: string[] = [];
  return {
    write(text) {
      parts.push(text);
    },
    async drained() {
      if (parts.length === 0) return;
      const text = parts.join('');
      parts = [];
      if (!out.write(text)) await once(out, 'drain');
    },
  };
}
