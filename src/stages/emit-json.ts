// ④ Emitters of JSON text: one value a line (NDJSON), or one JSON array.
// Receive records; write text through `write`; the array's closing `]` is written on close.

import { coroutine } from '../coroutine.js';
import type { Json } from './build.js';

/** Writes text somewhere: a buffer, a stream. */
export type Write = (text: string) => void;

/** Each value as JSON on a line of its own (NDJSON; also the whole-document output). */
export const emitJsonLines = coroutine(function* (write: Write, indent?: number) {
  for (;;) {
    const value: Json = yield;
    write(JSON.stringify(value, null, indent) + '\n');
  }
});

/** The values as one JSON array, `[` before the first and `]` when the chain is closed. */
export const emitJsonArray = coroutine(function* (write: Write, indent?: number) {
  const newline = indent === undefined ? '\n' : '\n' + ' '.repeat(indent);
  let count = 0;
  try {
    for (;;) {
      const value: Json = yield;
      const json = JSON.stringify(value, null, indent);
      write((count++ === 0 ? '[' : ',') + newline + (indent === undefined ? json : json.replaceAll('\n', newline)));
    }
  } finally {
    write(count === 0 ? '[]\n' : '\n]\n');
  }
});
