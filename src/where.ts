// The --where language, and the field paths it shares with --fields:
//   FIELD=VALUE   the field's text is VALUE          FIELD!=VALUE  it is not (or the field is missing)
//   FIELD~REGEX   its text matches REGEX (anywhere)  FIELD         the field exists (even empty: <a/>)
// FIELD is a key (`route`), an attribute (`@id`) or a dotted path into the record (`stop.name`, `stop.@id`).

import { type Json, TEXT_KEY } from './stages/build.js';

/** A --where expression or a --fields entry that cannot be understood; the message says why. */
export class FieldSyntaxError extends Error {
  override name = 'FieldSyntaxError';
}

/** `stop.name` → ['stop', 'name']; rejects what cannot be a path of XML names. */
export function fieldPath(field: string): string[] {
  if (field === '') throw new FieldSyntaxError('the field is empty');
  const path = field.split('.');
  for (const step of path) {
    if (step === '' || step === '@') throw new FieldSyntaxError(`"${field}" has an empty step`);
    if (/[\s=~!,]/u.test(step)) throw new FieldSyntaxError(`"${field}": a field name cannot contain spaces, =, ~, ! or ,`);
  }
  return path;
}

/**
 * The values at `path` in `record`: none when a step is missing; several when a step meets an
 * array (a repeated element), whose items are each followed on.
 */
export function valuesAt(record: Json, path: readonly string[]): Json[] {
  let values: Json[] = [record];
  for (const step of path) {
    const next: Json[] = [];
    for (const value of values) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.hasOwn(item, step)) next.push(item[step]!);
      }
    }
    values = next;
  }
  return values;
}

/** What `--fields` puts in a column: nothing (undefined) when missing, the value, or an array when a path met repeats. */
export function valueAt(record: Json, path: readonly string[]): Json | undefined {
  const values = valuesAt(record, path);
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

export type Test = (record: Json) => boolean;

/** Parses one --where expression into a test of a record. Throws FieldSyntaxError saying what is wrong. */
export function parseWhere(expression: string, textKey = TEXT_KEY): Test {
  const at = expression.search(/!=|=|~/u);
  const field = at < 0 ? expression : expression.slice(0, at);
  if (at === 0) throw new FieldSyntaxError(`--where "${expression}": no FIELD before "${expression.startsWith('!=') ? '!=' : expression[0]}"`);
  let path: string[];
  try {
    path = fieldPath(field);
  } catch (error) {
    throw new FieldSyntaxError(`--where "${expression}": ${(error as Error).message}; expected FIELD, FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX`);
  }
  if (at < 0) return (record) => valuesAt(record, path).length > 0;

  const operator = expression.startsWith('!=', at) ? '!=' : expression[at]!;
  const operand = expression.slice(at + operator.length);
  // Each value a path reaches is tried (a repeated element is several); one that holds is enough.
  const texts = (record: Json): string[] => valuesAt(record, path).flatMap((value) => {
    const found = Array.isArray(value) ? value.map((item) => textOf(item, textKey)) : [textOf(value, textKey)];
    return found.filter((text): text is string => text !== undefined);
  });
  if (operator === '=') return (record) => texts(record).includes(operand);
  if (operator === '!=') return (record) => !texts(record).includes(operand);
  let pattern: RegExp;
  try {
    pattern = new RegExp(operand, 'u');
  } catch (error) {
    throw new FieldSyntaxError(`--where "${expression}": ${(error as Error).message.replace(/^Invalid regular expression: /u, 'bad regular expression: ')}`);
  }
  return (record) => texts(record).some((text) => pattern.test(text));
}
