// broadcast(): the same records to two emitters — a CSV and a JSON array — in one pass over the feed.
import assert from 'node:assert/strict';
import { broadcast, buildElements, emitCsv, emitJsonArray, parse, recordSelector, whereField } from 'cosax';

let csv = '';
let json = '';
await parse(new URL('./buses.xml', import.meta.url),
  buildElements(recordSelector('bus'), {},
    whereField('direction', 'North Bound',
      whereField('route', '22',
        broadcast([
          emitCsv(['id', 'latitude', 'longitude'], (text) => (csv += text)),
          emitJsonArray((text) => (json += text)),
        ])))));

assert.equal(csv, 'id,latitude,longitude\n3596,41.6769713783637,-87.6473175983177\n2181,41.97072527650744,-87.556615446205\n4489,41.6971257960424,-87.7066194984363\n');
assert.deepEqual(JSON.parse(json).map((bus) => bus.finalStop), ['Cicero & Pulaski Terminal', 'Navy Pier & Harbor Terminal', 'Archer & Kedzie Terminal']);
