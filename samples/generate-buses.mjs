#!/usr/bin/env node
// Writes a bus feed in the shape of the Chicago Transit Authority's (the course's allroutes.xml):
// the same elements, tabs and blank lines between them, a CDATA finalStop containing "&".
// Deterministic for a given --seed. Our own data: nothing in it comes from the real feed.
//
//   node samples/generate-buses.mjs --buses 300 > samples/buses.xml
//   node samples/generate-buses.mjs --mb 100 --out /tmp/buses-100mb.xml

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    buses: { type: 'string' },
    mb: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});

// mulberry32: a small seeded PRNG, so a given seed always gives the same feed.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (low, high) => low + Math.floor(random() * (high - low + 1));

const ROUTES = ['3', '4', '8', '9', '20', '22', '29', '36', '49', '53', '66', '77', '79', '81', '82', '147', '151', '152'];
const COLORS = ['#3300ff', '#996633', '#cc3366', '#006666', '#ff9900', '#339933'];
const PLACES = ['Harbor', 'Lakeview', 'Kedzie', 'Archer', 'Irving Park', 'Pulaski', 'Cicero', 'Navy Pier', 'Union Station', 'Midway'];
const DIRECTIONS = ['North Bound', 'South Bound', 'East Bound', 'West Bound'];

function bus() {
  const route = pick(ROUTES);
  const direction = pick(DIRECTIONS);
  const place = `${pick(PLACES)} & ${pick(PLACES)} Terminal`;
  return `\t<bus>
\t\t<id>${int(1000, 8999)}</id>
\t\t<route>${route}</route>
\t\t
\t\t<color>${pick(COLORS)}</color>
\t\t<revenue>${random() < 0.95 ? 'true' : 'false'}</revenue>
\t\t<direction>${direction}</direction>
\t\t<latitude>${(41.65 + random() * 0.4).toFixed(int(12, 15))}</latitude>
\t\t<longitude>${(-87.85 + random() * 0.3).toFixed(int(12, 14))}</longitude>
\t\t<pattern>${int(100, 9999)}</pattern>
\t\t<patternDirection>${direction}</patternDirection>
\t\t<run>${pick(['P', 'F', 'N', 'K'])}${String(int(1, 999)).padStart(3, '0')}</run>
\t\t<finalStop><![CDATA[${place}]]></finalStop>
\t\t<operator>${int(1000, 49999)}</operator>  
\t</bus>
\t
`;
}

const out = values.out === undefined ? process.stdout : createWriteStream(values.out);
const limitBytes = values.mb === undefined ? Infinity : Number(values.mb) * 1024 * 1024;
const limitBuses = values.buses === undefined ? (values.mb === undefined ? 300 : Infinity) : Number(values.buses);

let bytes = 0;
let count = 0;
let batch = '<?xml version="1.0"?>\n<buses>\n';
while (count < limitBuses && bytes + batch.length < limitBytes) {
  batch += bus();
  count++;
  if (batch.length > 1 << 20) {
    bytes += batch.length;
    if (!out.write(batch)) await once(out, 'drain');
    batch = '';
  }
}
out.write(batch + '</buses>\n');
if (out !== process.stdout) out.end();
