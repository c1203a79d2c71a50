// A worker thread of -j N: reads each range it is sent (range.ts), one at a time, and sends back what
// it wrote — the records as UTF-8 bytes, encoded here and handed over without a copy.
import { parentPort } from 'node:worker_threads';
import { type RangeTask, readRange, recycle } from './range.js';

parentPort!.on('message', (message: RangeTask | { recycle: ArrayBuffer[] }) => {
  if ('recycle' in message) return recycle(message.recycle);
  const task = message;
  try {
    const result = readRange(task);
    // each buffer of the body has memory of its own (range.ts): moved, not copied, with the result
    parentPort!.postMessage({ result }, [...new Set(result.body.map((bytes) => bytes.buffer as ArrayBuffer))]);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) } });
  }
});
