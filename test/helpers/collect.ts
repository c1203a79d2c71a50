// Test sinks and sources: collect() keeps what it is sent; emitted() is what an emitter writes; xmlEvents() runs the real tokenizer and adapter.
import { type Coroutine, close, coroutine, send } from '../../src/coroutine.js';
import type { XmlEvent } from '../../src/events.js';
import { type FeedOptions, parseSync } from '../../src/driver.js';

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

/** The text an emitter writes for these values, sent one by one, then closed. */
export function emitted(make: (write: (text: string) => void) => Coroutine<never>, values: unknown[]): string {
  let text = '';
  const emitter = make((chunk) => (text += chunk));
  for (const value of values) send(emitter, value as never);
  close(emitter);
  return text;
}

/** A primed sink that keeps a copy of each event it receives (the adapter sends the same objects again). */
export function collectEvents(into: XmlEvent[]): Coroutine<XmlEvent> {
  return coroutine(function* (): Generator<unknown, void, XmlEvent> {
    for (;;) into.push({ ...(yield) });
  })();
}

/** The events that the tokenizer's adapter sends for this document (or these chunks), with this backend. */
export function xmlEvents(xml: string | Uint8Array | Array<string | Uint8Array>, options: FeedOptions = {}): XmlEvent[] {
  const events: XmlEvent[] = [];
  parseSync(Array.isArray(xml) ? xml : [xml], collectEvents(events), options);
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
