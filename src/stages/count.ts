// ④ Counting: --count's emitter writes how many records reached it, when the chain is closed;
// `tally` passes records on and tells someone each time (the progress bar's record count).

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import type { Json } from './build.js';
import type { Write } from './emit-json.js';

export const emitCount = coroutine(function* (write: Write): Generator<unknown, void, Json> {
  let count = 0;
  try {
    for (;;) {
      yield;
      count++;
    }
  } finally {
    write(`${count}\n`);
  }
});

export const tally = coroutine(function* (onRecord: () => void, target: Coroutine<Json>) {
  try {
    for (;;) {
      const record: Json = yield;
      onRecord();
      send(target, record);
    }
  } finally {
    close(target);
  }
});
