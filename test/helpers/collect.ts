// Test sinks and sources: collect() keeps what it is sent; xmlEvents() runs the real adapter.
import { type Coroutine, coroutine } from '../../src/coroutine.js';
import type { XmlEvent } from '../../src/events.js';
import { parseSync } from '../../src/parse/parse.js';

/** A primed sink that pushes everything it receives into `into`, and records that it was closed. */
export function collect<T>(into: T[], log: string[] = []): Coroutine<T> {
  return coroutine(function* (): Generator<unknown, void, T> {
    try {
      for (;;) into.push(yield);
    } finally {
      log.push('collect closed');
    }
  })();
}

/** The events that the sax adapter sends for this document. */
export function xmlEvents(xml: string | Uint8Array): XmlEvent[] {
  const events: XmlEvent[] = [];
  parseSync([xml], collect(events));
  return events;
}

/** Splits bytes at the given offsets (sorted, deduplicated), as chunks of a stream would. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts)].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const at of points) {
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}
