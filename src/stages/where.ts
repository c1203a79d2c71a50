// ③ Filters. `whereField` is the course's filter_on_field (a field equals a value); `where` keeps
// the records a test accepts. Receive records; send the ones that pass; keep nothing.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import type { Json } from './build.js';

export const whereField = coroutine(function* (field: string, value: string, target: Coroutine<Json>) {
  try {
    for (;;) {
      const record: Json = yield;
      if (fieldOf(record, field) === value) send(target, record);
    }
  } finally {
    close(target);
  }
});

export const where = coroutine(function* (test: (record: Json) => boolean, target: Coroutine<Json>) {
  try {
    for (;;) {
      const record: Json = yield;
      if (test(record)) send(target, record);
    }
  } finally {
    close(target);
  }
});

/** `record[field]` when the record is an object that has that field as its own. */
export function fieldOf(record: Json, field: string): Json | undefined {
  return record !== null && typeof record === 'object' && !Array.isArray(record) && Object.hasOwn(record, field) ? record[field] : undefined;
}
