// ③ --limit: passes the first `n` records on, then says `enough()` (reading can stop) and drops the
// rest — those the builder completes from what was already read. Keeps a count.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import type { Json } from './build.js';

export const limit = coroutine(function* (n: number, enough: () => void, target: Coroutine<Json>) {
  let kept = 0;
  try {
    for (;;) {
      const record: Json = yield;
      if (kept === n) continue;
      send(target, record);
      if (++kept === n) enough();
    }
  } finally {
    close(target);
  }
});
