// ③ Projection (--fields for json and ndjson, and the columns of csv): each record becomes an object
// of just those fields, keyed as the user wrote them (`stop.name`), null where a record has none.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { setOwn } from '../events.js';
import { fieldPath, valueAt } from '../where.js';
import type { Json, JsonObject } from './build.js';

export const project = coroutine(function* (fields: readonly string[], target: Coroutine<Json>) {
  const paths = fields.map((field) => [field, fieldPath(field)] as const);
  try {
    for (;;) {
      const record: Json = yield;
      const projected: JsonObject = {};
      for (const [field, path] of paths) setOwn(projected, field, valueAt(record, path) ?? null);
      send(target, projected);
    }
  } finally {
    close(target);
  }
});
