// The course's expat_parse(f, target): feeds a whole source into a chain, one chunk at a time.
// After each chunk it awaits `drained()`, so a slow reader at the far end slows the reading.

import type { Coroutine } from '../coroutine.js';
import type { XmlEvent } from '../events.js';
import { type Chunk, type FeedOptions, feed } from './feed.js';

export interface ParseOptions extends FeedOptions {
  /** awaited after each chunk: the sink's backpressure */
  drained?: () => Promise<void> | void;
}

/** Parses every chunk of `source` into `target`, closes it at the end; rejects with the first fault. */
export async function parse(source: AsyncIterable<Chunk> | Iterable<Chunk>, target: Coroutine<XmlEvent>, options: ParseOptions = {}): Promise<void> {
  const parser = feed(target, options);
  for await (const chunk of source) {
    parser.write(chunk);
    await options.drained?.();
  }
  parser.end();
  await options.drained?.();
}

/** The same, synchronously, for text or bytes already in memory. */
export function parseSync(source: Iterable<Chunk>, target: Coroutine<XmlEvent>, options: FeedOptions = {}): void {
  const parser = feed(target, options);
  for (const chunk of source) parser.write(chunk);
  parser.end();
}
