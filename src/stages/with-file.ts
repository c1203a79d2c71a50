// ③ --with-file: each record with the name of the file it came from, where no element name can
// collide — {"file": name, "record": record}, or for CSV a first column "#file" ('#' begins no XML
// name). Receives records (CSV: objects, after asObject); sends them wrapped; keeps nothing.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { setOwn } from '../events.js';
import type { Json, JsonObject } from './build.js';

/** The CSV column of the file's name. */
export const FILE_COLUMN = '#file';

export const withFile = coroutine(function* (file: () => string, csv: boolean, target: Coroutine<Json>) {
  try {
    for (;;) {
      const record: Json = yield;
      if (!csv) send(target, { file: file(), record });
      else {
        const row: JsonObject = { [FILE_COLUMN]: file() };
        for (const [key, value] of Object.entries(record as JsonObject)) setOwn(row, key, value); // `__proto__` too
        send(target, row);
      }
    }
  } finally {
    close(target);
  }
});
