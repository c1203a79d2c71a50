// ③ For --fields and CSV columns: a record that is only text (`<id>8747</id>` → "8747") is the same
// element as one with attributes minus them, so it becomes {"#text": "8747"}; an empty one ({}).
// Receives records; sends objects; keeps nothing.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { setOwn } from '../events.js';
import type { Json, JsonObject } from './build.js';

export const asObject = coroutine(function* (textKey: string, target: Coroutine<Json>) {
  try {
    for (;;) {
      const record: Json = yield;
      if (record !== null && typeof record === 'object') send(target, record);
      else {
        const object: JsonObject = {};
        if (record !== null) setOwn(object, textKey, record);
        send(target, object);
      }
    }
  } finally {
    close(target);
  }
});
