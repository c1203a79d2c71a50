// The library's options, checked where a user hands them over (convert, records, the streams, pipeline,
// the way back to XML): a misspelt or impossible option is a TypeError naming it, never ignored.

import { PARSERS } from './driver.js';
import type { Limits } from './limits.js';
import { type Where, recordSelector, whereTest } from './query.js';
import { type ShapeSource, parseShape } from './shape.js';
import { isEncoding } from './xml/decode.js';

/** What is wrong with an option's value, or nothing. */
export type Check = (value: unknown) => string | undefined;

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));
export const expect = (ok: (value: unknown) => boolean, what: string): Check => (value) => (ok(value) ? undefined : `expected ${what}, got ${shown(value)}`);
export const isCount = expect((value) => Number.isSafeInteger(value) && (value as number) > 0, 'a positive whole number');
export const isFlag = expect((value) => typeof value === 'boolean', 'true or false');
export const isText = expect((value) => typeof value === 'string', 'a string');
export const isCallback = expect((value) => typeof value === 'function', 'a function');
const reasonOf = (check: () => unknown): string | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

const LIMITS: Readonly<Record<keyof Limits, Check>> = { maxDepth: isCount, maxText: isCount, maxRecord: isCount };

/** The builder's options: how XML maps to JSON. */
export const BUILD_OPTIONS: Readonly<Record<string, Check>> = {
  attrPrefix: isText,
  textKey: expect((value) => typeof value === 'string' && value !== '', 'a string that is not empty'),
  forceList: expect((value) => (value instanceof Set || Array.isArray(value)) && [...value].every((name) => typeof name === 'string'), 'a Set or an array of element names'),
  stripNamespaces: isFlag,
  keepSpace: isFlag,
  coerce: isFlag,
  maxRecord: isCount,
  tag: isFlag,
};

/** The parser's (parse(), and convert()'s too). */
export const PARSER_OPTIONS: Readonly<Record<string, Check>> = {
  keepSpace: isFlag,
  file: isText,
  encoding: expect((value) => typeof value === 'string' && isEncoding(value), 'an encoding the decoder reads (UTF-8, ISO-8859-1, windows-1252, …: README "Encodings")'),
  parser: expect((value) => typeof value === 'string' && Object.hasOwn(PARSERS, value), Object.keys(PARSERS).map((name) => `"${name}"`).join(' or ')),
  limits: (value) => (value === null || typeof value !== 'object' ? `expected an object of ${Object.keys(LIMITS).join(', ')}` : checkEach('limits.', value as Record<string, unknown>, LIMITS)),
};

/** convert()'s: the builder's and the parser's. */
export const CONVERT_OPTIONS: Readonly<Record<string, Check>> = { ...BUILD_OPTIONS, ...PARSER_OPTIONS };

/** Which records are kept: what records() and pipeline() ask of them. */
export const SELECTION_OPTIONS: Readonly<Record<string, Check>> = {
  element: (value) => reasonOf(() => recordSelector(value as string)),
  where: (value) => reasonOf(() => whereTest(value as Where)),
  limit: isCount,
};

export const RECORDS_OPTIONS: Readonly<Record<string, Check>> = {
  ...CONVERT_OPTIONS,
  ...SELECTION_OPTIONS,
  shape: (value) => reasonOf(() => parseShape(value as ShapeSource)),
  jobs: expect((value) => Number.isSafeInteger(value) && (value as number) >= 0, 'a number of worker threads (0: every core)'),
};

/** The first thing wrong with `options`, by `checks`, as "option NAME: what"; nothing when all is well. */
export function checkEach(prefix: string, options: Readonly<Record<string, unknown>>, checks: Readonly<Record<string, Check>>): string | undefined {
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(checks, key)) return `unknown option "${prefix}${key}"; the options are ${Object.keys(checks).map((name) => prefix + name).join(', ')}`;
    const wrong = value === undefined ? undefined : checks[key]!(value);
    if (wrong !== undefined) return /^(unknown )?option /u.test(wrong) ? wrong : `option ${prefix}${key}: ${wrong}`; // limits' own say which
  }
  return undefined;
}

/** Throws a TypeError, `entry: what`, for the first thing wrong with `options` (an object, or nothing). */
export function checkOptions(entry: string, options: unknown, checks: Readonly<Record<string, Check>>): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new TypeError(`${entry}: the options are an object`);
  const wrong = checkEach('', options as Readonly<Record<string, unknown>>, checks);
  if (wrong !== undefined) throw new TypeError(`${entry}: ${wrong}`);
}
