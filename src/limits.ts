// Safety limits on hostile or broken input: each, when exceeded, is an XmlSyntaxError with code
// XML_LIMIT, raised before memory or the stack runs out. Defaults are generous for real data.

export interface Limits {
  /**
   * deepest element nesting. Nothing in the chain recurses, so this guards the code that reads the
   * records: 2,000 levels of XML are at most 4,001 of JSON (a repeated child adds an array), within
   * what JSON.stringify writes from a shallow stack (~4,170 in Node 20) @default 2000
   */
  maxDepth: number;
  /** longest run of text, CDATA or attribute value, in characters @default 64 Mi */
  maxText: number;
  /** largest record (or whole document, without -e) as names, text and values, in characters @default 128 Mi */
  maxRecord: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxDepth: 2000,
  maxText: 64 * 1024 * 1024,
  maxRecord: 128 * 1024 * 1024,
});

/** The defaults, with what the user raised (or lowered). */
export function limitsOf(given: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...given };
}
