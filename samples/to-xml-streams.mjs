// The way back, streaming: records in, XML text out in chunks, in the memory of one record.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { XmlTransformStream, close, emitXml, records, send, xmlChunks, xmlTransform } from 'cosax';

const feed = new URL('./buses.xml', import.meta.url);

// xmlChunks(): an (async) iterable of records → XML text; here route 22's buses, read by records().
let xml = '';
for await (const chunk of xmlChunks(records(feed, { element: 'bus', where: { route: '22' } }), { root: 'buses', item: 'bus' })) xml += chunk;
assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<buses><bus><id>'));
const again = [];
for await (const bus of records([xml], { element: 'bus' })) again.push(bus.route);
assert.deepEqual(new Set(again), new Set(['22']));
assert.equal(again.length, 20);

// A Node stream for stream.pipeline: records in (object mode), XML text out.
let text = '';
await pipeline(Readable.from([{ id: '1' }, { id: '2' }]), xmlTransform({ root: 'stops', item: 'stop' }), async (chunks) => {
  for await (const chunk of chunks) text += chunk;
});
assert.equal(text, '<?xml version="1.0" encoding="utf-8"?>\n<stops><stop><id>1</id></stop><stop><id>2</id></stop></stops>');

// Web streams; a record {name: …} without an item names its own element.
let web = '';
for await (const chunk of ReadableStream.from([{ bus: { id: '1' } }, { train: { id: '2' } }]).pipeThrough(new XmlTransformStream({ root: 'feed', fullDocument: false }))) web += chunk;
assert.equal(web, '<feed><bus><id>1</id></bus><train><id>2</id></train></feed>');

// emitXml is the stage underneath them all: values in, XML out through `write`; closing it ends the root.
let out = '';
const chain = emitXml({ root: 'r', item: 'i', fullDocument: false }, (piece) => (out += piece));
send(chain, { n: '1' });
close(chain);
assert.equal(out, '<r><i><n>1</n></i></r>');
