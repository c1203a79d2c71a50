// A worker thread of -j N: reads each range it is sent (range.ts), one at a time, and sends back what it wrote.
import { parentPort } from 'node:worker_threads';
import { type RangeTask, readRange } from './range.js';

parentPort!.on('message', (task: RangeTask) => {
  try {
    parentPort!.postMessage({ result: readRange(task) });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) } });
  }
});
