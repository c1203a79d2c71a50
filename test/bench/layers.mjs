// Where the time goes: the chain peeled layer by layer, on text already decoded (no I/O, no decoding),
// so that each layer's cost is the difference between two rows. Each row runs in a process of its own,
// RUNS times interleaved; the minimum is the figure least moved by other work on the machine.
//   node test/bench/layers.mjs [--mb 20] [--runs 7]          (after npm run build)
// Layers, for each backend:
//   floor       the tokenizer with empty handlers
//   adapter     + our adapter (checks, limits, leading white space), events sent to a coroutine that drops them
//   builder     + the record builder, records counted (--count)
//   bus job     + the course's filters and CSV (only 1 bus in ~200 passes them)
//   NDJSON      + JSON.stringify of every record

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { JOBS, emptyHanded } from './cases.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAYERS = ['floor', 'adapter', 'builder', 'bus job', 'NDJSON'];

/** One layer on one backend, timed in this process: milliseconds from the first chunk to the end. */
async function timeLayer(backend, layer, file) {
  const text = readFileSync(file, 'utf8');
  const chunks = [];
  for (let i = 0; i < text.length; i += 65536) chunks.push(text.slice(i, i + 65536));
  if (layer === 'floor') {
    const parser = emptyHanded(backend);
    const start = performance.now();
    for (const chunk of chunks) parser.write(chunk);
    parser.close();
    return performance.now() - start;
  }
  const { PARSERS } = await import(pathToFileURL(`${ROOT}dist/parse/feed.js`).href);
  const { pipeline } = await import(pathToFileURL(`${ROOT}dist/pipeline.js`).href);
  const { close, coroutine } = await import(pathToFileURL(`${ROOT}dist/coroutine.js`).href);
  const options = {
    builder: { ...JOBS.ndjson, count: true },
    'bus job': JOBS.bus,
    NDJSON: JOBS.ndjson,
  }[layer];
  let written = 0;
  const drop = coroutine(function* () {
    for (;;) yield;
  });
  const chain = options === undefined ? drop() : pipeline(options, (text) => (written += text.length));
  const tokenizer = PARSERS[backend](chain);
  const start = performance.now();
  for (const chunk of chunks) tokenizer.write(chunk);
  tokenizer.end();
  close(chain); // as the driver does at the end of input: --count writes its number now
  const ms = performance.now() - start;
  if (options !== undefined && written === 0) throw new Error(`${layer}: nothing written`);
  return ms;
}

const { values } = parseArgs({ options: { mb: { type: 'string', default: '20' }, runs: { type: 'string', default: '7' }, one: { type: 'string' }, file: { type: 'string' } } });

if (values.one !== undefined) {
  const [backend, layer] = values.one.split(':');
  console.log(String(await timeLayer(backend, layer, values.file)));
} else {
  const file = `${ROOT}bench-data/buses-${values.mb}mb.xml`;
  if (!existsSync(file)) {
    mkdirSync(`${ROOT}bench-data`, { recursive: true });
    const made = spawnSync(process.execPath, [`${ROOT}samples/generate-buses.mjs`, '--mb', values.mb, '--out', file], { stdio: 'inherit' });
    if (made.status !== 0) process.exit(1);
  }
  const cases = ['sax', 'saxes'].flatMap((backend) => LAYERS.map((layer) => `${backend}:${layer}`));
  const times = Object.fromEntries(cases.map((c) => [c, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const c of cases) times[c].push(Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', c, '--file', file], { encoding: 'utf8' })));
  }
  console.log(`${values.mb} MB bus feed, decoded text in 64 Ki chunks; ms over ${values.runs} runs (min / median)\n`);
  console.log('| backend: layer | min ms | median ms | floor ÷ this (min) | this layer adds (min) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const c of cases) {
    const sorted = times[c].sort((a, b) => a - b);
    const [backend, layer] = c.split(':');
    const floor = Math.min(...times[`${backend}:floor`]);
    const index = LAYERS.indexOf(layer);
    const below = index === 0 ? 0 : Math.min(...times[`${backend}:${LAYERS[index === 4 ? 2 : index - 1]}`]); // NDJSON is built on the builder row, beside the bus job
    console.log(`| ${c.replace(':', ': ')} | ${sorted[0].toFixed(0)} | ${sorted[sorted.length >> 1].toFixed(0)} | ${(floor / sorted[0]).toFixed(2)}× | ${index === 0 ? "" : `${sorted[0] - below >= 0 ? "+" : "−"}${Math.abs(sorted[0] - below).toFixed(0)} ms`} |`);
  }
}
