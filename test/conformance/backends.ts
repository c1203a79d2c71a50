// The converter as the suite sees it, once per parser backend: bytes in, JSON out, or a throw.
import { parseSync } from '../../src/parse/parse.js';
import { pipeline } from '../../src/chain.js';

/** Parser backends under test: the default, and saxes (issue 4). */
export const BACKENDS = ['sax', 'saxes'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Converts a whole document, given in these chunks, with this backend; throws when it rejects it. */
export function convert(backend: Backend, chunks: Iterable<Uint8Array>): string {
  let out = '';
  parseSync(chunks, pipeline({ format: 'json' }, (text) => (out += text)), { parser: backend });
  return out;
}
