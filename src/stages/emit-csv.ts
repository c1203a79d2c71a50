// ④ The CSV emitter (the course's bus_locations): a header row, then one row per record.
// Receives records; writes RFC 4180 text through csv-stringify; keeps the column list.

import { stringify } from 'csv-stringify/sync';
import { coroutine } from '../coroutine.js';
import type { Json } from './build.js';
import { type Write, jsonOf } from './emit-json.js';
import { fieldOf } from './where.js';

/** A cell: text as it is, nothing for null or a missing field, JSON for an object or array. */
function cell(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? jsonOf(value)! : String(value);
}

const isObject = (record: Json): boolean => record !== null && typeof record === 'object' && !Array.isArray(record);

/** Columns are `fields` (header written at once), or else the first record's keys. */
export const emitCsv = coroutine(function* (fields: readonly string[] | undefined, write: Write) {
  let columns = fields;
  if (columns !== undefined) write(stringify([columns]));
  for (;;) {
    const record: Json = yield;
    if (columns === undefined) {
      columns = isObject(record) ? Object.keys(record as object) : ['value'];
      write(stringify([columns]));
    }
    const row = isObject(record) ? columns.map((column) => cell(fieldOf(record, column))) : [cell(record)];
    write(stringify([row]));
  }
});
