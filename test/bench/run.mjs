// The benchmark: `npm run bench` (or node test/bench/run.mjs --mb 100 --runs 5 [--quick-runs 15] [--write] [--only REGEX]).
// Generates a bus feed of the chosen size (never committed: bench-data/ is ignored), runs every case of
// cases.mjs on that same file, each in a process of its own, RUNS times interleaved, and prints the
// best MB/s of the runs (the run least disturbed by other work on a shared machine), the median peak
// RSS, each speed as a ratio to the raw saxes floor (and sax's), and each of our rows as a ratio to the
// fastest peer on the same job. --write puts the table,
// the machine and the versions into BENCHMARKS.md.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKENDS, CASES } from './cases.mjs';
import { measure, median } from './measure.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
    'quick-runs': { type: 'string' }, // default: 3 × runs
    file: { type: 'string' },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
// A case that takes under QUICK seconds (the floors, our rows, the streaming peers) is run quickRuns
// times: on a machine whose speed swings 1.5–2× between minutes, five runs leave its best to luck, and
// one lucky run of a floor moved every ratio by 20 %. The slow peers (whole-document parsers) keep `runs`.
const quickRuns = Math.max(runs, Number(values['quick-runs'] ?? 3 * runs));
const QUICK = 4; // seconds: sax's floor (~3.3 s), the denominator of a column, is quick too
const file = values.file ?? `${ROOT}bench-data/buses-${values.mb}mb.xml`;
if (!existsSync(file)) {
  mkdirSync(`${ROOT}bench-data`, { recursive: true });
  console.log(`generating ${file} …`);
  const made = spawnSync(process.execPath, [`${ROOT}samples/generate-buses.mjs`, '--mb', values.mb, '--out', file], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(1);
}
const MB = statSync(file).size / (1024 * 1024);
// The several-files rows read four files of a quarter of the feed: their MB are the four's.
const quarter = `${ROOT}bench-data/buses-${(Number(values.mb) / 4).toString()}mb.xml`;
if (!existsSync(quarter)) spawnSync(process.execPath, [`${ROOT}samples/generate-buses.mjs`, '--mb', String(Number(values.mb) / 4), '--out', quarter], { stdio: 'inherit' });
process.env.COSAX_BENCH_QUARTER = quarter;
const mbOf = (name) => (name.includes('4 files') ? (4 * statSync(quarter).size) / (1024 * 1024) : MB);
const only = values.only === undefined ? undefined : new RegExp(values.only);
// Our rows for the backends the built library has (our own tokenizer's only once it has landed).
const { PARSERS } = await import(`${ROOT}dist/index.js`);
const backendOf = (name) => (name.startsWith('floor: cosax') ? 'cosax' : BACKENDS.find((backend) => name.startsWith(`cosax (${backend}`)));
const built = (name) => backendOf(name) === undefined || Object.hasOwn(PARSERS, backendOf(name));
// The floors are always measured: every ratio needs them.
const names = Object.keys(CASES).filter((name) => built(name) && (name.startsWith('floor') || only === undefined || only.test(name)));


const samples = Object.fromEntries(names.map((name) => [name, []]));
const loadBefore = os.loadavg()[0];
for (let run = 1; run <= quickRuns; run++) {
  for (const name of names) {
    if (run > runs && samples[name][0].seconds >= QUICK) continue;
    const result = await measure(name, `${ROOT}test/bench/cases.mjs`, [name, file]);
    samples[name].push(result);
    console.log(`run ${run}/${quickRuns}  ${name.padEnd(32)} ${(mbOf(name) / result.seconds).toFixed(1).padStart(6)} MB/s ${(result.maxRssKb / 1024).toFixed(0).padStart(6)} MB`);
  }
}
const loadAfter = os.loadavg()[0];

const rows = names.map((name) => ({
  name,
  mbps: mbOf(name) / Math.min(...samples[name].map((s) => s.seconds)),
  cpuMbps: mbOf(name) / Math.min(...samples[name].map((s) => s.cpuSeconds)),
  rssMb: median(samples[name].map((s) => s.maxRssKb)) / 1024,
}));
mkdirSync(`${ROOT}bench-data`, { recursive: true }); // also when --file named the feed
writeFileSync(`${ROOT}bench-data/last-run.json`, JSON.stringify({ file, MB, runs, samples }, null, 1));
const floorOf = (label) => rows.find((row) => row.name === `floor: ${label}, empty handlers`).mbps;
const saxFloor = floorOf('sax');
const saxesFloor = floorOf('saxes');
const ratio = (x) => `${x.toFixed(2)}×`;
// For each of our rows: the fastest peer (not a floor, not ours) on the same job, in this run.
const jobOf = (name) => name.slice(name.lastIndexOf(': ') + 2);
const isPeer = (row) => !row.name.startsWith('floor') && !row.name.startsWith('cosax');
const fastestPeer = (name) => rows.filter((row) => isPeer(row) && jobOf(row.name) === jobOf(name)).sort((a, b) => b.mbps - a.mbps)[0];
const versusPeer = (row) => {
  if (!row.name.startsWith('cosax')) return '';
  const peer = fastestPeer(row.name);
  return peer === undefined ? '' : `${ratio(row.mbps / peer.mbps)} (${peer.name.slice(0, peer.name.indexOf(':'))})`;
};
const table = [
  '| case | MB/s | × saxes floor | × fastest peer | × sax floor | MB per CPU-s | peak RSS (MB) |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map((row) =>
    `| ${row.name} | ${row.mbps.toFixed(1)} | ${ratio(row.mbps / saxesFloor)} | ${versusPeer(row)} | ${ratio(row.mbps / saxFloor)} | ${row.cpuMbps.toFixed(1)} | ${row.rssMb.toFixed(0)} |`),
].join('\n');

const version = (pkg) => JSON.parse(readFileSync(`${ROOT}node_modules/${pkg}/package.json`, 'utf8')).version;
const packages = ['sax', 'saxes', 'saxen', 'ltx', 'fast-xml-parser', 'xml2js', 'xml-js', 'txml', 'sax-stream', 'xml-flow'];
const cpus = os.cpus();
const machine = [
  `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; ${Math.round(os.totalmem() / 2 ** 30)} GB RAM; ${os.type()} ${os.release()}`,
  `- Node ${process.version}`,
  `- load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`,
  `- packages: ${packages.map((pkg) => `${pkg} ${version(pkg)}`).join(', ')}`,
].join('\n');

console.log(`\n${MB.toFixed(0)} MB bus feed, best of ${quickRuns} runs (${runs} for a case that takes ${QUICK} s or more)\n\n${table}\n\n${machine}`);

if (values.write) {
  // What people wrote below the generated part (from the marker on) is kept.
  const MARKER = '<!-- written by hand below: run.mjs keeps it -->';
  const old = existsSync(`${ROOT}BENCHMARKS.md`) ? readFileSync(`${ROOT}BENCHMARKS.md`, 'utf8') : '';
  const at = old.indexOf(MARKER);
  const kept = at < 0 ? `${MARKER}\n` : old.slice(at);
  writeFileSync(`${ROOT}BENCHMARKS.md`, `# Benchmarks

Produced by \`npm run bench\` (test/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: a ${MB.toFixed(0)} MB bus feed
generated by samples/generate-buses.mjs, every case on the same file in a process of its own, ${quickRuns} runs
interleaved (${runs} for a case that takes ${QUICK} s or more: the whole-document parsers). Speeds are the best of
the runs: the machine is shared with other work, which only ever slows a run down (its speed swings 1.5–2×
from one minute to the next), so the fastest run is the one it disturbed least; a case of a second or two
gets more runs, so that its best is not left to the luck of five. Peak RSS is the median.

- **floor**: reading the bytes only; a tokenizer with empty handlers (the fastest any converter on it can be):
  sax, saxes, and saxen and ltx, which check almost nothing; our own tokenizer's is \`parse(source, target)\`
  into a coroutine that takes every event and does nothing with it: in batches (\`takesBatches\`, as the
  builder takes them; it reads each with \`next()\`), or one a send.
- **bus job**: the buses of route 22 going North Bound, as CSV with columns route,id,direction,latitude,longitude.
- **NDJSON**: every \`<bus>\` as a JSON object on a line.
- **cosax** rows run the built library's chain as the CLI composes it (source ▶ parse ▶ pipeline ▶ stdout
  sink, \`parser: 'cosax' | 'sax'\`), without the CLI's own start-up; the **CLI -j N** rows run the command's own
  run() (flag parsing, its worker threads and their start-up included; **4 files**: one quarter-size feed given four times); the peers do the same two
  jobs as idiomatically as each allows (test/bench/cases.mjs): fast-xml-parser, xml2js and xml-js parse the
  whole document, then walk it; tXml's transform stream, sax-stream and xml-flow stream one record per \`<bus>\`;
  saxen and ltx run hand-written SAX handlers that make each \`<bus>\`'s record. **× fastest peer** is each of our
  rows over the fastest peer on the same job in the same run.
- MB/s is the file's size over the wall time from process start (after Node's own start-up) to exit;
  MB per CPU-s is the same over the process's user + system CPU time (all its threads, GC included);
  peak RSS is \`process.resourceUsage().maxRSS\`. The cosax rows hold V8's young generation at 16 MB, as
  the CLI does (src/io/memory.ts).

${table}

## Machine

${machine}

${kept}`);
  console.log('\nwrote BENCHMARKS.md');
}
