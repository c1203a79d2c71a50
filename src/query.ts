// What a user asks of the records, read in one place so that the CLI, the library and the streams
// mean the same by it: the record selector (-e, `element`), field paths (--fields, -w, `where`'s
// keys) and the where-language:
//   FIELD=VALUE   the field's text is VALUE          FIELD!=VALUE  it is not (or the field is missing)
//   FIELD~REGEX   its text matches REGEX (anywhere)  FIELD         the field exists (even empty: <a/>)
// FIELD is a key (`route`), an attribute (`@id`), the text (`#text`) or a dotted path (`stop.name`).
// The library's object form `{ route: '22', finalStop: /^Navy/ }` is `-w route=22 -w 'finalStop~^Navy'`.

import type { ElementInventory } from './inventory.js';
import { type Json, TEXT_KEY } from './stages/build.js';

/** An element, field or where-expression that cannot be understood; the message says why and what would be. */
export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError';
}

// XML 1.0's Name production: what an element or attribute can be called (a field path's steps never hold '.', its separator).
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*$`, 'u');

/** How the builder writes keys: a field path's steps are these, or element names. */
export interface Keys {
  attrPrefix?: string | undefined;
  textKey?: string | undefined;
}

// ── Which elements are records ────────────────────────────────────────────────────────────────

/** What the builder asks of each start tag outside a record: does a record start here? */
export interface RecordSelector {
  /** `name`: the element's name; `path`: the names of the elements open around it, outermost first */
  starts(name: string, path: readonly string[]): boolean;
}

/** The selector of -e and `element`; it also says whether any record started, and what was seen before one did. */
export interface ElementSelector extends RecordSelector {
  /** the elements as given: `bus`, `/feed/entry` */
  readonly elements: readonly string[];
  /** a record has started */
  readonly found: boolean;
}

/**
 * Every outermost element with one of these names, or at one of these absolute /paths. Until a
 * record starts, each element passed by is told to `inventory` (so the cost stops at the first record);
 * `onStart` is told of each record's start (--on-error skip notes where).
 * Throws QuerySyntaxError for what cannot be an element name or an absolute path of them.
 */
export function recordSelector(element: string | readonly string[], inventory?: ElementInventory, onStart?: () => void): ElementSelector {
  const elements = typeof element === 'string' ? [element] : [...element];
  if (elements.length === 0) throw new QuerySyntaxError('no element: expected a NAME or an absolute /path/to/NAME');
  const names = new Set<string>();
  const paths: string[][] = [];
  for (const given of elements) {
    if (typeof given !== 'string') throw new QuerySyntaxError(`${String(given)} is not an element: expected a NAME or an absolute /path/to/NAME`);
    if (given.startsWith('/')) paths.push(elementPath(given));
    else names.add(elementName(given));
  }
  let found = false;
  const atPath = (name: string, path: readonly string[]): boolean =>
    paths.some((steps) => steps.length === path.length + 1 && steps[path.length] === name && path.every((step, i) => step === steps[i]));
  return {
    elements,
    get found() {
      return found;
    },
    starts(name, path) {
      if (names.has(name) || (paths.length > 0 && atPath(name, path))) {
        onStart?.();
        return (found = true);
      }
      if (!found) inventory?.see(name, path);
      return false;
    },
  };
}

const EXPECTED_ELEMENT = 'expected a NAME or an absolute /path/to/NAME';

function elementName(given: string): string {
  if (XML_NAME.test(given)) return given;
  const reason = given === '' ? 'the element is empty'
    : given.includes('/') ? `a relative path; ${EXPECTED_ELEMENT} (/…/${given})`
    : given.includes(',') ? `not an element name; ${EXPECTED_ELEMENT}, one element each time`
    : `not an element name; ${EXPECTED_ELEMENT} (no patterns)`;
  throw new QuerySyntaxError(`"${given}": ${reason.includes('expected') ? reason : `${reason}; ${EXPECTED_ELEMENT}`}`);
}

function elementPath(given: string): string[] {
  const steps = given.split('/').slice(1);
  for (const step of steps) {
    if (step === '') throw new QuerySyntaxError(`"${given}": an empty step; ${EXPECTED_ELEMENT}`);
    if (!XML_NAME.test(step)) throw new QuerySyntaxError(`"${given}": "${step}" is not an element name; ${EXPECTED_ELEMENT} (no patterns)`);
  }
  return steps;
}

// ── Field paths ───────────────────────────────────────────────────────────────────────────────

/** `stop.name` → ['stop', 'name']; each step is an element name, an attribute (`@id`) or the text key. */
export function fieldPath(field: string, keys: Keys = {}): string[] {
  if (field === '') throw new QuerySyntaxError('the field is empty');
  const attrPrefix = keys.attrPrefix ?? '@';
  const textKey = keys.textKey ?? TEXT_KEY;
  const path = field.split('.');
  for (const step of path) {
    if (step === '' || step === attrPrefix) throw new QuerySyntaxError(`"${field}" has an empty step`);
    const name = attrPrefix !== '' && step.startsWith(attrPrefix) ? step.slice(attrPrefix.length) : step;
    if (step !== textKey && !XML_NAME.test(name)) {
      const what = `not an element name, ${attrPrefix}attribute or ${textKey}`;
      throw new QuerySyntaxError(path.length === 1 ? `"${field}" is ${what}` : `"${field}" has a step "${step}" that is ${what}`);
    }
  }
  return path;
}

/**
 * The values at `path` in `record`: none when a step is missing; several when a step meets an
 * array (a repeated element), whose items are each followed on. The text key of an element that is
 * only text is that text (`guid.#text` of `<guid>3</guid>` is "3", as of `<guid a="1">3</guid>`).
 */
export function valuesAt(record: Json, path: readonly string[], textKey = TEXT_KEY): Json[] {
  let values: Json[] = [record];
  for (const step of path) {
    const next: Json[] = [];
    for (const value of values) {
      if (Array.isArray(value)) for (const item of value) stepInto(item, step, textKey, next);
      else stepInto(value, step, textKey, next);
    }
    values = next;
  }
  return values;
}

/** One step of valuesAt() from one value (not an array): what it reaches, pushed onto `next`. */
function stepInto(item: Json, step: string, textKey: string, next: Json[]): void {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    if (Object.hasOwn(item, step)) next.push(item[step]!);
  } else if (item !== null && step === textKey) next.push(item);
}

/** What `--fields` puts in a column: nothing (undefined) when missing, the value, or an array when a path met repeats. */
export function valueAt(record: Json, path: readonly string[], textKey = TEXT_KEY): Json | undefined {
  const values = valuesAt(record, path, textKey);
  if (values.length === 0) return undefined;
  // One value, unless the path went through an array: then all of them, in document order.
  return values.length === 1 && !crossesArray(record, path) ? values[0] : values;
}

function crossesArray(record: Json, path: readonly string[]): boolean {
  let value: Json | undefined = record;
  for (const step of path.slice(0, -1)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return false;
    value = value[step];
    if (Array.isArray(value)) return true;
  }
  return false;
}

// ── The where-language ────────────────────────────────────────────────────────────────────────

/** A test of a record. One made of the where-language says which field paths it `reads`: the builder need not build the rest. */
export type Test = ((record: Json) => boolean) & { readonly reads?: readonly (readonly string[])[] };

const reading = (paths: readonly (readonly string[])[], test: (record: Json) => boolean): Test => Object.assign(test, { reads: paths });

/** The library's `where`: fields that must all hold (a value is compared as text, a RegExp searched), or a test. */
export type Where<R = Json> = Readonly<Record<string, string | number | boolean | RegExp>> | ((record: R) => boolean);

const EXPECTED_WHERE = 'expected FIELD, FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX';

/**
 * The text a value is compared by: a string or number as written, '' for an empty element, the text
 * key of an element that also has attributes (`{"@dir": "N", "#text": "22"}` is "22"); else none.
 */
function textOf(value: Json, textKey: string): string | undefined {
  if (value === null) return '';
  if (typeof value !== 'object') return String(value);
  if (!Array.isArray(value) && Object.hasOwn(value, textKey)) return textOf(value[textKey]!, textKey);
  return undefined;
}

/** One condition on a field; each value the path reaches is tried (a repeated element is several), one that holds is enough. */
function condition(path: readonly string[], operator: '=' | '!=' | '~' | undefined, operand: string | RegExp, textKey: string): Test {
  if (operator === undefined) return reading([path], (record) => valuesAt(record, path, textKey).length > 0);
  // Whether the text of some value the path reaches (each item of an array) is one that `holds`.
  const some = (record: Json, holds: (text: string) => boolean): boolean => {
    for (const value of valuesAt(record, path, textKey)) {
      if (!Array.isArray(value)) {
        const text = textOf(value, textKey);
        if (text !== undefined && holds(text)) return true;
      } else {
        for (const item of value) {
          const text = textOf(item, textKey);
          if (text !== undefined && holds(text)) return true;
        }
      }
    }
    return false;
  };
  if (operand instanceof RegExp) return reading([path], (record) => some(record, (text) => operand.test(text)));
  const equal = (text: string): boolean => text === operand;
  if (operator === '=') return reading([path], (record) => some(record, equal));
  return reading([path], (record) => !some(record, equal));
}

/** Parses one -w expression into a test of a record. Throws QuerySyntaxError saying what is wrong. */
export function parseWhere(expression: string, keys: Keys = {}): Test {
  const at = expression.search(/!=|=|~/u);
  const field = at < 0 ? expression : expression.slice(0, at);
  if (at === 0) throw new QuerySyntaxError(`"${expression}": no FIELD before "${expression.startsWith('!=') ? '!=' : expression[0]}"`);
  let path: string[];
  try {
    path = fieldPath(field, keys);
  } catch (error) {
    throw new QuerySyntaxError(`"${expression}": ${(error as Error).message}; ${EXPECTED_WHERE}`);
  }
  const textKey = keys.textKey ?? TEXT_KEY;
  if (at < 0) return condition(path, undefined, '', textKey);
  const operator = expression.startsWith('!=', at) ? '!=' : (expression[at] as '=' | '~');
  const operand = expression.slice(at + operator.length);
  if (operator !== '~') return condition(path, operator, operand, textKey);
  try {
    return condition(path, '~', new RegExp(operand, 'u'), textKey);
  } catch (error) {
    throw new QuerySyntaxError(`"${expression}": ${(error as Error).message.replace(/^Invalid regular expression: /u, 'bad regular expression: ')}`);
  }
}

/** The library's `where` as one test: an object means what the same -w expressions mean. Throws QuerySyntaxError. */
export function whereTest<R>(where: Where<R>, keys: Keys = {}): Test {
  if (typeof where === 'function') return where as unknown as Test;
  if (where === null || typeof where !== 'object' || Array.isArray(where)) throw new QuerySyntaxError('expected an object of FIELD: value, or a function (record) => boolean');
  const textKey = keys.textKey ?? TEXT_KEY;
  const tests = Object.entries(where).map(([field, value]) => {
    const path = fieldPath(field, keys);
    // a /g or /y RegExp's test() would remember where it stopped, from one record to the next
    if (value instanceof RegExp) return condition(path, '~', new RegExp(value.source, value.flags.replace(/[gy]/gu, '')), textKey);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new QuerySyntaxError(`"${field}": a value is a string, number, boolean or RegExp`);
    }
    return condition(path, '=', String(value), textKey);
  });
  return allOf(tests);
}

/** A test that holds when every one of `tests` holds. */
export function allOf(tests: readonly Test[]): Test {
  if (tests.length === 1) return tests[0]!;
  const all = (record: Json): boolean => tests.every((test) => test(record));
  return tests.every((test) => test.reads !== undefined) ? reading(tests.flatMap((test) => test.reads!), all) : all;
}
