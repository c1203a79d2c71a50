// The converter as the suite sees it, once per parser backend: bytes in, JSON out, or a throw.
import { parseSync } from '../../src/parse/parse.js';
import { pipeline } from '../../src/pipeline.js';

/** Parser backends under test; add 'saxes' here once src/parse/saxes.ts is merged (issue 4). */
export const BACKENDS = ['sax'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Converts a whole document, given in these chunks, with this backend; throws when it rejects it. */
export function convert(backend: Backend, chunks: Iterable<Uint8Array>): string {
  let out = '';
  void backend; // one backend today: the option that picks it goes to parseSync when there are two
  parseSync(chunks, pipeline({ format: 'json' }, (text) => (out += text)));
  return out;
}
