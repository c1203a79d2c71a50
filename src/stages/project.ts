// ③ Projection (--fields for json and ndjson, and the columns of csv): each record becomes an object
// of just those fields, keyed as the user wrote them (`stop.name`), null where a record has none.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { setOwn } from '../events.js';
import { type Keys, fieldPath, valueAt } from '../query.js';
import { type Json, type JsonObject, TEXT_KEY } from './build.js';

export const project = coroutine(function* (fields: readonly string[], keys: Keys, target: Coroutine<Json>) {
  const paths = fields.map((field) => [field, fieldPath(field, keys)] as const);
  const textKey = keys.textKey ?? TEXT_KEY;
  try {
    for (;;) {
      const record: Json = yield;
      const projected: JsonObject = {};
      for (const [field, path] of paths) setOwn(projected, field, valueAt(record, path, textKey) ?? null);
      send(target, projected);
    }
  } finally {
    close(target);
  }
});
