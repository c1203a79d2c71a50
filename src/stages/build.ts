// ③ The element builder (the course's buses_to_dicts, made general), with xmltodict's convention.
// Receives XmlEvents; sends one JSON value per record, or `{root: …}` once for a whole document.
// Keeps the path of open element names and, inside a record, a stack of the elements being built.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import type { Attributes, XmlEvent } from '../events.js';
import { setOwn } from '../events.js';
import { XmlSyntaxError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Which elements become records: every outermost element with this name, or those at this absolute path. */
export type RecordSelector = { readonly name: string } | { readonly path: readonly string[] };

/** Parses `bus` or `/feed/entry` as the CLI's `--element` takes it. */
export function recordSelector(element: string): RecordSelector {
  if (!element.startsWith('/')) return { name: element };
  const path = element.split('/').slice(1);
  if (path.some((step) => step === '')) throw new Error(`--element "${element}": an empty step in the path`);
  return { path };
}

export interface BuildOptions {
  /** prefix of attribute keys @default "@" */
  attrPrefix?: string;
  /** key of an element's text beside attributes or children @default "#text" */
  textKey?: string;
  /** element names whose values are always arrays @default none */
  forceList?: ReadonlySet<string>;
  /** largest record, in characters of names, values and text (XML_LIMIT error beyond) @default 128 Mi */
  maxRecord?: number;
}

interface Open {
  readonly name: string;
  item: JsonObject | null; // attributes and children; null until there is one
  text: string; // every piece of direct text, joined at the end tag
}

/** Sends the value of each record (or `{root: value}` for the whole document) to `target`. */
export const buildElements = coroutine(function* (
  select: RecordSelector | undefined,
  options: BuildOptions,
  target: Coroutine<Json>,
) {
  const attrPrefix = options.attrPrefix ?? '@';
  const textKey = options.textKey ?? '#text';
  const forceList = options.forceList ?? new Set<string>();
  const path: string[] = []; // names of the open elements outside a record
  const open: Open[] = []; // the record being built, outermost first
  const maxRecord = options.maxRecord ?? DEFAULT_LIMITS.maxRecord;
  let size = 0; // characters in the record being built
  const grow = (n: number): void => {
    if ((size += n) > maxRecord) throw new XmlSyntaxError(`a record larger than ${maxRecord} characters (--max-record)`, {}, 'XML_LIMIT');
  };

  const starts = (name: string): boolean =>
    select === undefined ||
    ('name' in select ? name === select.name : path.length === select.path.length - 1 && select.path.at(-1) === name && path.every((step, i) => step === select.path[i]));

  const push = (item: JsonObject, key: string, value: Json): void => {
    if (!Object.hasOwn(item, key)) setOwn(item, key, forceList.has(key) ? [value] : value);
    else {
      const current = item[key]!;
      if (Array.isArray(current)) current.push(value);
      else item[key] = [current, value];
    }
  };

  const itemOf = (attrs: Attributes): JsonObject | null => {
    let item: JsonObject | null = null;
    for (const name in attrs) setOwn((item ??= {}), attrPrefix + name, attrs[name]!);
    return item;
  };

  const valueOf = ({ item, text }: Open): Json => {
    const data = pyStrip(text) || null;
    if (item === null) return data;
    if (data !== null) push(item, textKey, data);
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
        if (open.length > 0 || starts(event.name)) {
          for (const name in event.attrs) grow(name.length + event.attrs[name]!.length);
          grow(event.name.length);
          open.push({ name: event.name, item: itemOf(event.attrs), text: '' });
        } else path.push(event.name);
      } else if (open.length === 0) {
        path.pop();
      } else {
        const done = open.pop()!;
        const value = valueOf(done);
        const parent = open.at(-1);
        if (parent === undefined) size = 0;
        if (parent !== undefined) push((parent.item ??= {}), done.name, value);
        else if (select !== undefined) send(target, value);
        else {
          const root: JsonObject = {};
          setOwn(root, done.name, value);
          send(target, root);
        }
      }
    }
  } finally {
    close(target);
  }
});

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
