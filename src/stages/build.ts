// ③ The element builder (the course's buses_to_dicts, made general), with xmltodict's convention.
// Receives XmlEvents, one by one or in batches; sends one JSON value per record, or `{root: …}` once for a whole document.
// Keeps the path of open element names and, inside a record, a stack of the elements being built.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { type Attributes, EventBatch, NO_ATTRIBUTES, type XmlEvent, setOwn, takesBatches } from '../events.js';
import { XmlSyntaxError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { RecordSelector } from '../query.js';
import { SkipRecord } from '../skip.js';

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
  /** text as written, not stripped (xmltodict's strip_whitespace=False); the parser must send white space too (FeedOptions.keepSpace) @default false */
  keepSpace?: boolean | undefined;
}

/** The builder's options: xmltodict's, and what the stages after it read of a record. */
export interface BuilderOptions extends BuildOptions {
  /**
   * Record mode: only the record's children with these names are built; the others are passed over
   * (still counted towards maxRecord). For stages that read nothing else: --fields, -w. @default all
   */
  children?: ReadonlySet<string> | undefined;
}

/** Sends the value of each record (`{name: value}` with `tag`, or for the whole document) to `target`. */
export const buildElements = (select: RecordSelector | undefined, options: BuilderOptions, target: Coroutine<Json>): Coroutine<XmlEvent> =>
  takesBatches(building(select, settingsOf(options), target));

/**
 * The options as the builder reads them, in an object of one shape. Callers' options objects differ
 * in shape from one chain to the next (a -j worker makes a chain a range), and the builder's optimised
 * code, which reads them first, was thrown away at each new shape: 8 times in a 200 MB run at -j 2.
 */
function settingsOf(options: BuilderOptions) {
  return {
    attrPrefix: options.attrPrefix ?? '@',
    textKey: options.textKey ?? TEXT_KEY,
    forceList: new Set(options.forceList),
    stripNs: options.stripNamespaces === true,
    coerce: options.coerce === true,
    maxRecord: options.maxRecord ?? DEFAULT_LIMITS.maxRecord,
    tag: options.tag === true,
    keepSpace: options.keepSpace === true,
    children: options.children,
  };
}

const building = coroutine(function* (
  select: RecordSelector | undefined,
  settings: ReturnType<typeof settingsOf>,
  target: Coroutine<Json>,
): Generator<unknown, void, XmlEvent | EventBatch> {
  const { attrPrefix, textKey, forceList, stripNs, maxRecord, tag } = settings;
  // A whole document keeps every value to the end: each is copied, or its slice of a 64 KB input
  // chunk would keep the chunk alive (measured: 47 → 34 MB of heap for a 20 MB feed, same time).
  // A record goes at its end tag: copying would cost 15 % of the builder's time and save nothing.
  const keep = select === undefined ? own : (text: string) => text;
  const scalar: (text: string) => Json = settings.coerce ? (text) => coerceScalar(keep(text)) : keep;
  const path: string[] = []; // names of the open elements outside a record
  // The record being built, one slot per open element (outermost first), in three arrays that keep
  // their slots from one element to the next: an element costs no object of its own.
  const names: string[] = [];
  const items: (JsonObject | null)[] = []; // attributes and children; null until there is one
  const texts: string[] = []; // every piece of direct text, joined as it comes
  let depth = 0; // elements open in the record
  // (a tagged record's fields begin with its own name; a whole document's with the root's)
  const children = select === undefined || tag ? undefined : settings.children;
  let passing = 0; // elements open in a child of the record that is passed over (not in `children`)
  const strip: (text: string) => string = settings.keepSpace ? (text) => text : pyStrip;
  let size = 0; // characters in the record being built
  const grow = (n: number): void => {
    if ((size += n) > maxRecord) throw new XmlSyntaxError(`a record larger than ${maxRecord} characters (maxRecord)`, {}, 'XML_LIMIT');
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

  // An element passed over counts towards the record's size as if it were built.
  const pass = (name: string, attrs: Attributes): void => {
    passing++;
    grow(name.length);
    if (attrs !== NO_ATTRIBUTES) for (const key in attrs) grow(key.length + attrs[key]!.length);
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

  // The value of the element in slot `d`: its text stripped, beside its attributes and children if any.
  const valueOf = (d: number): Json => {
    const item = items[d]!;
    const data = strip(texts[d]!);
    if (item === null) return data === '' ? null : scalar(data);
    if (data !== '') push(item, textKey, scalar(data));
    return item;
  };

  const take = (event: XmlEvent): void => {
    if (event.type === 'text') {
      if (depth > 0) {
        grow(event.text.length);
        if (passing === 0) texts[depth - 1] += event.text;
      }
    } else if (event.type === 'start') {
      const name = stripNs ? localName(event.name) : event.name;
      if (passing > 0 || (depth === 1 && children !== undefined && !children.has(name))) pass(name, event.attrs);
      else if (depth > 0 || starts(name)) {
        grow(name.length);
        names[depth] = name;
        items[depth] = itemOf(event.attrs);
        texts[depth++] = '';
      } else path.push(name);
    } else if (passing > 0) {
      passing--;
    } else if (depth === 0) {
      path.pop();
    } else {
      const value = valueOf(--depth);
      if (depth > 0) push((items[depth - 1] ??= {}), names[depth]!, value);
      else {
        size = 0; // the record is complete
        if (select !== undefined && !tag) send(target, value);
        else {
          const root: JsonObject = {};
          push(root, names[0]!, value); // force-list applies to the root too, as in xmltodict
          send(target, root);
        }
      }
      items[depth] = null; // the slot no longer holds the value
      texts[depth] = '';
    }
  };

  try {
    for (;;) {
      let given: XmlEvent | EventBatch;
      try {
        given = yield;
      } catch (error) {
        // --on-error skip (skip.ts): the record being built is dropped; the driver is told how deep it was
        if (!(error instanceof SkipRecord)) throw error;
        error.depth = path.length;
        error.dropped = depth > 0;
        while (depth > 0) items[--depth] = null;
        size = 0;
        passing = 0;
        continue;
      }
      if (!(given instanceof EventBatch)) take(given);
      else {
        for (let event = given.next(); event !== undefined; event = given.next()) {
          take(event);
          if (passing > 0) {
            // the rest of a child passed over, counted without an event made for it
            passing = given.pass(passing, maxRecord - size, stripNs);
            grow(given.counted);
          }
        }
      }
    }
  } finally {
    close(target);
  }
});

/** A text that holds on to no input chunk; shorter than 13 characters, V8 made it a copy already. */
function own(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

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

/** Coerces every string in a value, in place; the containers still to visit are kept in an array, not on the stack. */
function coerceAll(value: Json): Json {
  if (typeof value === 'string') return coerceScalar(value);
  const pending: Json[] = [value];
  while (pending.length > 0) {
    const container = pending.pop()!;
    if (container === null || typeof container !== 'object') continue;
    // own keys only: records are plain objects
    for (const key in container) {
      const member = (container as JsonObject)[key]!;
      if (typeof member === 'string') (container as JsonObject)[key] = coerceScalar(member);
      else if (member !== null && typeof member === 'object') pending.push(member);
    }
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
