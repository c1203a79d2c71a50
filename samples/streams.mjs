// Streams: a Node Transform for stream.pipeline (records, or NDJSON text), and a web TransformStream for pipeThrough.
import assert from 'node:assert/strict';
import { createReadStream, openAsBlob } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { RecordTransformStream, ndjsonTransform, recordTransform, records } from 'cosax';

const feed = new URL('./buses.xml', import.meta.url);

// Bytes in, records out (object mode); the pipeline waits for the slowest stage.
const routes = new Set();
await pipeline(createReadStream(feed), recordTransform({ element: 'bus' }), async (buses) => {
  for await (const bus of buses) routes.add(bus.route);
});
assert.equal(routes.size, 18);

// Bytes in, NDJSON text out, to pipe into a file or a socket; here into a string.
let ndjson = '';
await pipeline(createReadStream(feed), ndjsonTransform({ element: 'bus', where: { route: '22' } }), async (text) => {
  for await (const piece of text) ndjson += piece;
});
assert.equal(ndjson.split('\n').length, 20 + 1);
assert.equal(JSON.parse(ndjson.split('\n')[0]).route, '22');

// Web streams: any ReadableStream of bytes or text.
const blob = await openAsBlob(feed);
let count = 0;
for await (const bus of blob.stream().pipeThrough(new RecordTransformStream({ element: 'bus' }))) count += bus.revenue === 'true' ? 1 : 0;
assert.equal(count, 289);

// records() takes a Node stream too; gzip (compressed on the fly here) is seen by its first bytes.
let gzipped = 0;
for await (const bus of records(createReadStream(feed).pipe(createGzip()), { element: 'bus' })) gzipped += bus.id ? 1 : 0;
assert.equal(gzipped, 300);
