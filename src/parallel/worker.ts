// A worker thread of -j N: reads each range it is sent (range.ts), one at a time, and sends back what
// it wrote — the records as UTF-8 bytes, encoded here and handed over without a copy.
import { parentPort } from 'node:worker_threads';
import { type RangeTask, readRange } from './range.js';

parentPort!.on('message', (task: RangeTask) => {
  try {
    const result = readRange(task);
    const body = Buffer.from(result.body as string);
    // a small Buffer lies in Node's shared pool: copied out, so that only its own bytes are handed over
    const bytes = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Uint8Array.prototype.slice.call(body);
    parentPort!.postMessage({ result: { ...result, body: bytes } }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) } });
  }
});
