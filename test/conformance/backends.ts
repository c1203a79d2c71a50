// The converter as the suite sees it, once per parser backend: bytes in, JSON out, or a throw.
import { parseSync } from '../../src/driver.js';
import { pipeline } from '../../src/chain.js';

/** Parser backends under test: our own tokenizer (the default), and sax (the course's). */
export const BACKENDS = ['cosax', 'sax'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Converts a whole document, given in these chunks, with this backend; throws when it rejects it. */
export function convert(backend: Backend, chunks: Iterable<Uint8Array>): string {
  let out = '';
  parseSync(chunks, pipeline({ format: 'json' }, (text) => (out += text)), { parser: backend });
  return out;
}
