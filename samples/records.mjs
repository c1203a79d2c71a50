// records(): one record per <bus>, filtered, from a file — read a chunk at a time, in constant memory.
import assert from 'node:assert/strict';
import { records } from 'cosax';

const feed = new URL('./buses.xml', import.meta.url); // a path, a URL, a stream or chunks; .gz is detected

const northbound = [];
for await (const bus of records(feed, { element: 'bus', where: { route: '22', direction: 'North Bound' } })) {
  northbound.push(bus.id);
}
assert.deepEqual(northbound, ['3596', '2181', '4489']);

// `where` may be a test; leaving the loop early stops reading and closes the file.
let first;
for await (const bus of records(feed, { element: 'bus', where: (bus) => Number(bus.latitude) > 42 })) {
  first = bus.id;
  break;
}
assert.equal(first, '1348');
