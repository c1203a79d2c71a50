// The course's bus job, stage by stage: parse(source, target) is its expat_parse, buildElements its
// buses_to_dicts, whereField its filter_on_field — and bus_locations is a stage of our own.
import assert from 'node:assert/strict';
import { buildElements, coroutine, parse, recordSelector, whereField } from 'cosax';

// A stage: a generator that receives a value at each `yield`. coroutine() primes it, like @coroutine.
const busLocations = coroutine(function* (lines) {
  for (;;) {
    const bus = yield;
    lines.push(`${bus.route},${bus.id},"${bus.direction}",${bus.latitude},${bus.longitude}`);
  }
});

const lines = [];
await parse(new URL('./buses.xml', import.meta.url),
  buildElements(recordSelector('bus'), {},
    whereField('route', '22',
      whereField('direction', 'North Bound',
        busLocations(lines)))));

assert.deepEqual(lines, [
  '22,3596,"North Bound",41.6769713783637,-87.6473175983177',
  '22,2181,"North Bound",41.97072527650744,-87.556615446205',
  '22,4489,"North Bound",41.6971257960424,-87.7066194984363',
]);
