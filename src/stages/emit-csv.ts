// ④ The CSV emitter (the course's bus_locations): a header row, then one row per record, RFC 4180
// (a cell holding a comma, a double quote or a line break is quoted, its quotes doubled).
// Columns are `fields`, or else the first record's keys. A later record with a key that is not a
// column is an error naming it, after the rows before it: a field is never dropped in silence.

import { coroutine } from '../coroutine.js';
import type { Json } from './build.js';
import { type Write, jsonOf } from './emit-json.js';
import { fieldOf } from './where.js';
import { FILE_COLUMN } from './with-file.js';

/** A record has a field that the CSV's columns (the first record's) do not. */
export class CsvColumnsError extends Error {
  override name = 'CsvColumnsError';
  constructor(readonly field: string, readonly record: number, readonly columns: readonly string[]) {
    const fields = [...columns, field].filter((column) => column !== FILE_COLUMN); // (--with-file's comes first of itself)
    super(`record ${record} has a field "${field}" that the CSV columns (the first record's: ${columns.join(',')}) do not; name every column: fields ${fields.join(',')}`);
  }
}

/** A cell: text as it is, nothing for null or a missing field, JSON for an object or array. */
function cell(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? jsonOf(value)! : String(value);
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const isObject = (record: Json): record is { [key: string]: Json } => record !== null && typeof record === 'object' && !Array.isArray(record);

export const emitCsv = coroutine(function* (fields: readonly string[] | undefined, write: Write) {
  let columns = fields;
  let known: ReadonlySet<string> | undefined; // the columns, when they are the first record's
  if (columns !== undefined) write(columns.map(cell).join(',') + '\n');
  for (let count = 1; ; count++) {
    const record: Json = yield;
    if (columns === undefined) {
      columns = isObject(record) ? Object.keys(record) : ['value'];
      known = new Set(columns);
      write(columns.map(cell).join(',') + '\n');
    }
    if (known !== undefined && isObject(record)) {
      for (const key in record) if (!known.has(key)) throw new CsvColumnsError(key, count, columns);
    }
    write((isObject(record) ? columns.map((column) => cell(fieldOf(record, column))) : [cell(record)]).join(',') + '\n');
  }
});
