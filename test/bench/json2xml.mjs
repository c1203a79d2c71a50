// The benchmark of the way back, NDJSON → XML: `node test/bench/json2xml.mjs --mb 100 --runs 5`.
// The records are the bus feed's (generate-buses.mjs, then xml2json -e bus -f ndjson; kept in
// bench-data/, never committed). Each case turns every record into a <bus> inside <buses> and writes
// the XML to stdout (the driver points it at /dev/null), in a process of its own, RUNS times
// interleaved; the table is the best MB/s of NDJSON read (the run least disturbed on a shared
// machine), the median peak RSS, and each speed as a ratio to the faster of the two peers.
//   cosax             the built json2xml command (bin/json2xml.js FILE --root buses --item bus), in the case's process
//   fast-xml-parser   XMLBuilder.build({bus: record}) per line, after JSON.parse
//   xml2js            Builder.buildObject({bus: record}) per line (headless), after JSON.parse
//   floor             reading the lines and JSON.parse alone: what the peers pay before building
// The peers' XML is checked to be ours, byte for byte, on the first records before anything is timed.

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, median } from './measure.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

const CASES = {
  'cosax: json2xml --root buses --item bus': async (file) => {
    // The command itself, as bin/json2xml.js runs it, in this process (so that its peak RSS is measured).
    const { holdYoungGeneration } = await import(`${ROOT}dist/io/memory.js`);
    const { run } = await import(`${ROOT}dist/cli/json2xml.js`);
    holdYoungGeneration();
    process.exitCode = await run([file, '--root', 'buses', '--item', 'bus']);
  },
  'fast-xml-parser: XMLBuilder': (file) => {
    const { XMLBuilder } = require('fast-xml-parser');
    const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text' });
    return peer(file, (record) => builder.build({ bus: record }));
  },
  'xml2js: Builder': (file) => {
    const { Builder } = require('xml2js');
    const builder = new Builder({ headless: true, renderOpts: { pretty: false } });
    return peer(file, (record) => builder.buildObject({ bus: record }));
  },
  'floor: lines and JSON.parse': (file) => peer(file, (record) => (record === undefined ? '' : '')),
};

/** A peer's job: NDJSON lines → JSON.parse → `build` → XML inside <buses>, written in 64 K pieces. */
async function peer(file, build) {
  const out = process.stdout;
  let pending = DECLARATION + '<buses>';
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const text = carry + chunk;
    let from = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', from)) {
      if (end > from) pending += build(JSON.parse(text.slice(from, end)));
      from = end + 1;
    }
    carry = text.slice(from);
    if (pending.length > 64 * 1024) {
      if (!out.write(pending)) await once(out, 'drain');
      pending = '';
    }
  }
  if (carry.trim() !== '') pending += build(JSON.parse(carry));
  out.write(pending + '</buses>');
}

// One case in this process: node --import test/bench/report.mjs test/bench/json2xml.mjs --case NAME FILE
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mb: { type: 'string', default: '100' }, runs: { type: 'string', default: '5' }, file: { type: 'string' }, case: { type: 'string' } },
});
if (values.case !== undefined) {
  await CASES[values.case](positionals[0]);
} else {
  await main();
}

async function main() {
  const file = values.file ?? `${ROOT}bench-data/buses-${values.mb}mb.ndjson`;
  if (!existsSync(file)) generate(file, Number(values.mb));
  const MB = statSync(file).size / (1024 * 1024);
  check(file);

  const samples = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
  const loadBefore = os.loadavg()[0];
  for (let run = 1; run <= Number(values.runs); run++) {
    for (const name of Object.keys(CASES)) {
      const result = await measure(name, fileURLToPath(import.meta.url), ['--case', name, file]);
      samples[name].push(result);
      console.log(`run ${run}/${values.runs}  ${name.padEnd(42)} ${(MB / result.seconds).toFixed(1).padStart(6)} MB/s ${(result.maxRssKb / 1024).toFixed(0).padStart(5)} MB`);
    }
  }
  const rows = Object.keys(CASES).map((name) => ({
    name,
    mbps: MB / Math.min(...samples[name].map((s) => s.seconds)),
    rssMb: median(samples[name].map((s) => s.maxRssKb)) / 1024,
  }));
  const fasterPeer = Math.max(...rows.filter((row) => !row.name.startsWith('cosax') && !row.name.startsWith('floor')).map((row) => row.mbps));
  console.log(`\nNDJSON → XML, ${MB.toFixed(0)} MB of NDJSON (${file}), best of ${values.runs} runs; load ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores, Node ${process.version}\n`);
  console.log('| case | MB/s | × the faster peer | peak RSS |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.name} | ${row.mbps.toFixed(1)} | ${(row.mbps / fasterPeer).toFixed(2)} | ${row.rssMb.toFixed(0)} MB |`);
}

/** The bus feed of about `mb` MB of NDJSON: a feed of 1.6 × the size, through xml2json -e bus -f ndjson. */
function generate(file, mb) {
  mkdirSync(`${ROOT}bench-data`, { recursive: true });
  const xml = file.replace(/\.ndjson$/u, '.xml');
  console.log(`generating ${file} …`);
  if (!existsSync(xml)) run(process.execPath, [`${ROOT}samples/generate-buses.mjs`, '--mb', String(Math.ceil(mb * 1.6)), '--out', xml]);
  run(process.execPath, [`${ROOT}bin/xml2json.js`, xml, '-e', 'bus', '-f', 'ndjson', '-o', file]);
}

/** The peers write our XML on the first thousand records, byte for byte: the same job is timed. */
function check(file) {
  const sample = `${ROOT}bench-data/check.ndjson`;
  spawnSync('sh', ['-c', `head -n 1000 "${file}" > "${sample}"`]);
  const outputs = Object.keys(CASES).filter((name) => !name.startsWith('floor')).map((name) => [name, spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--case', name, sample], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout]);
  for (const [name, xml] of outputs) if (xml !== outputs[0][1] || xml.length < 1000) throw new Error(`${name} writes other XML than ${outputs[0][0]}`);
}

function run(command, args) {
  const made = spawnSync(command, args, { stdio: 'inherit' });
  if (made.status !== 0) process.exit(1);
}
