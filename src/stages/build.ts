// ③ The element builder (the course's buses_to_dicts, made general), with xmltodict's convention.
// Receives XmlEvents; sends one JSON value per record, or `{root: …}` once for a whole document.
// Keeps the path of open element names and, inside a record, a stack of the elements being built.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { type Attributes, NO_ATTRIBUTES, type XmlEvent, setOwn } from '../events.js';
import { XmlSyntaxError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { RecordSelector } from '../query.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** xmltodict's key of an element's text beside attributes or children. */
export const TEXT_KEY = '#text';

/** How XML maps to JSON; the defaults are xmltodict's. */
export interface BuildOptions {
  /** prefix of attribute keys @default "@" */
  attrPrefix?: string | undefined;
  /** key of an element's text beside attributes or children @default "#text" */
  textKey?: string | undefined;
  /** element names whose values are always arrays, even for one element @default none */
  forceList?: ReadonlySet<string> | readonly string[] | undefined;
  /** drop namespace prefixes (`soap:Body` → `Body`) and `xmlns` attributes @default false */
  stripNamespaces?: boolean | undefined;
  /** numbers and booleans as JSON numbers and booleans, when no digit would be lost (see coerceScalar) @default false */
  coerce?: boolean | undefined;
  /** largest record, in characters of names, values and text (XML_LIMIT error beyond) @default 128 Mi */
  maxRecord?: number | undefined;
  /** each record as `{name: value}`, as the element alone would convert, so that records of several elements tell apart @default false */
  tag?: boolean | undefined;
}

interface Open {
  readonly name: string;
  item: JsonObject | null; // attributes and children; null until there is one
  text: string; // every piece of direct text, joined at the end tag
}

/** Sends the value of each record (`{name: value}` with `tag`, or for the whole document) to `target`. */
export const buildElements = coroutine(function* (
  select: RecordSelector | undefined,
  options: BuildOptions,
  target: Coroutine<Json>,
) {
  const attrPrefix = options.attrPrefix ?? '@';
  const textKey = options.textKey ?? TEXT_KEY;
  const forceList = new Set(options.forceList);
  const stripNs = options.stripNamespaces === true;
  const scalar: (text: string) => Json = options.coerce === true ? coerceScalar : (text) => text;
  const path: string[] = []; // names of the open elements outside a record
  const open: Open[] = []; // the record being built, outermost first
  const maxRecord = options.maxRecord ?? DEFAULT_LIMITS.maxRecord;
  const tag = options.tag === true;
  let size = 0; // characters in the record being built
  const grow = (n: number): void => {
    if ((size += n) > maxRecord) throw new XmlSyntaxError(`a record larger than ${maxRecord} characters (maxRecord)`, {}, 'XML_LIMIT');
  };

  // One string per element name: the keyed stores into records then find their key without hashing
  // the fresh string sax made (a feed has a few dozen names; the table is bounded).
  const names = new Map<string, string>();
  const known = (name: string): string => {
    const seen = names.get(name);
    if (seen !== undefined) return seen;
    if (names.size < 1024) names.set(name, name);
    return name;
  };

  const starts = (name: string): boolean => select === undefined || select.starts(name, path);

  const push = (item: JsonObject, key: string, value: Json): void => {
    if (!Object.hasOwn(item, key)) setOwn(item, key, forceList.size > 0 && forceList.has(key) ? [value] : value);
    else {
      const current = item[key]!;
      if (Array.isArray(current)) current.push(value);
      else item[key] = [current, value];
    }
  };

  // One pass over the attributes: they count towards the record's size, and make the item.
  const itemOf = (attrs: Attributes): JsonObject | null => {
    if (attrs === NO_ATTRIBUTES) return null; // most elements: no loop to enter
    let item: JsonObject | null = null;
    for (const name in attrs) {
      grow(name.length + attrs[name]!.length);
      if (stripNs && (name === 'xmlns' || name.startsWith('xmlns:'))) continue;
      setOwn((item ??= {}), attrPrefix + (stripNs ? localName(name) : name), scalar(attrs[name]!));
    }
    return item;
  };

  const valueOf = ({ item, text }: Open): Json => {
    const data = pyStrip(text);
    if (item === null) return data === '' ? null : scalar(data);
    if (data !== '') push(item, textKey, scalar(data));
    return item;
  };

  try {
    for (;;) {
      const event: XmlEvent = yield;
      if (event.type === 'text') {
        if (open.length > 0) {
          grow(event.text.length);
          open[open.length - 1]!.text += event.text;
        }
      } else if (event.type === 'start') {
        const name = stripNs ? localName(event.name) : event.name;
        if (open.length > 0 || starts(name)) {
          grow(name.length);
          open.push({ name: known(name), item: itemOf(event.attrs), text: '' });
        } else path.push(name);
      } else if (open.length === 0) {
        path.pop();
      } else {
        const done = open.pop()!;
        const value = valueOf(done);
        if (open.length > 0) push((open[open.length - 1]!.item ??= {}), done.name, value);
        else {
          size = 0; // the record is complete
          if (select !== undefined && !tag) send(target, value);
          else {
            const root: JsonObject = {};
            push(root, done.name, value); // force-list applies to the root too, as in xmltodict
            send(target, root);
          }
        }
      }
    }
  } finally {
    close(target);
  }
});

/** `soap:Body` → `Body`. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Sends each record on with its strings coerced by `coerceScalar`, changed in place: the CLI's
 * `--coerce`, after the `--where` filters, which compare the text as written.
 */
export const coerceValues = coroutine(function* (target: Coroutine<Json>) {
  try {
    for (;;) send(target, coerceAll((yield) as Json));
  } finally {
    close(target);
  }
});

function coerceAll(value: Json): Json {
  if (typeof value === 'string') return coerceScalar(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = coerceAll(value[i]!);
  } else {
    for (const key in value) value[key] = coerceAll(value[key]!); // own keys: records are plain objects
  }
  return value;
}

const MAX_SAFE = 2 ** 53;

/**
 * `--coerce`: "true"/"false" → booleans; a number → a JSON number only when JavaScript writes that
 * number back exactly as the text ("007", "1.50", "1e3" and integers beyond 2^53 stay strings).
 */
export function coerceScalar(text: string): Json {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const c = text.charCodeAt(0);
  if (!(c === 0x2d || (c >= 0x30 && c <= 0x39))) return text; // not '-' or a digit: not a number
  const n = Number(text);
  if (!Number.isFinite(n) || String(n) !== text) return text;
  return Number.isInteger(n) && Math.abs(n) >= MAX_SAFE ? text : n;
}

// Python's str.isspace() set (what xmltodict strips), which is not JavaScript's trim(): U+0085 and
// U+001C–U+001F are white space to Python and not to JS; U+FEFF is to JS and not to Python.
function isPySpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || (c > 0x7f && PY_SPACE.has(c));
}
const PY_SPACE = new Set([0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

/** Python's `str.strip()`. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
