// The library's whole path, bytes or text to output text, for the hostile-input tests.
import type { Limits } from '../../src/limits.js';
import { parseSync } from '../../src/driver.js';
import { type PipelineOptions, pipeline } from '../../src/chain.js';

export interface Converted {
  out: string;
  error?: { code: string; message: string; reason: string };
}

/** Converts `xml` (in the given chunks) with these options; returns what was written and the error, if any. */
export function convert(xml: string | Uint8Array | Array<string | Uint8Array>, options: Partial<PipelineOptions> = {}, limits: Partial<Limits> = {}): Converted {
  let out = '';
  try {
    parseSync(Array.isArray(xml) ? xml : [xml], pipeline({ format: 'json', ...options }, (text) => (out += text)), { limits });
    return { out };
  } catch (error) {
    const { code, message, reason } = error as { code: string; message: string; reason: string };
    return { out, error: { code, message, reason } };
  }
}
