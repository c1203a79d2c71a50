// The course's broadcast: sends every item it receives to each of its targets, in order.
// Closing it closes them all, so each one flushes (a CSV and a JSON array can be written side by side).

import { type Coroutine, close, coroutine, send } from '../coroutine.js';

export function broadcast<T>(targets: ReadonlyArray<Coroutine<T>>): Coroutine<T> {
  return coroutine(function* (): Generator<unknown, void, T> {
    try {
      for (;;) {
        const item: T = yield;
        for (const target of targets) send(target, item);
      }
    } finally {
      for (const target of targets) close(target);
    }
  })();
}
