// Where the time goes: the chain peeled layer by layer, on text already decoded (no I/O, no decoding),
// so that each layer's cost is the difference between two rows. Each row runs in a process of its own,
// RUNS times interleaved; the minimum is the figure least moved by other work on the machine.
//   node test/bench/layers.mjs [--mb 20] [--runs 9]          (after npm run build)
// Layers, for each backend (cosax: our tokenizer; sax: the npm package), and saxes's floor for scale:
//   floor       the tokenizer with empty handlers (ours: src/xml/tokenizer.ts with handler methods that do nothing)
//   least adapter  the bound of the design: each callback makes its event and send()s it to a coroutine
//               that drops it (no checks, every text sent); what is left of the floor for everything else
//   adapter     + the driver and our adapter (limits, leading white space), events sent to a coroutine that drops them
//   builder     + the record builder, records counted (--count)
//   bus job     + the course's filters and CSV (only 1 bus in ~200 passes them)
//   NDJSON      + JSON.stringify of every record
// and, on the events alone (made once by our tokenizer, copied and held in memory, so no tokenizer runs):
//   events: builder / bus job / NDJSON   what the stages after the adapter cost by themselves
//               (--passes N: each process runs the chain N times on its events and keeps its fastest,
//               the cost once the JIT has warmed up; the first pass of 20 MB pays for the warm-up)

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { JOBS, emptyHanded } from './cases.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAYERS = ['floor', 'least adapter', 'adapter', 'builder', 'bus job', 'NDJSON'];
// The chain's options for the rows that run one (the builder row counts the records).
const CHAINS = { builder: { ...JOBS.ndjson, count: true }, 'bus job': JOBS.bus, NDJSON: JOBS.ndjson };
const BELOW = { 'least adapter': 'floor', adapter: 'floor', builder: 'adapter', 'bus job': 'builder', NDJSON: 'builder' }; // what each row adds to

/** One layer on one backend, timed in this process: milliseconds from the first chunk to the end. */
async function timeLayer(backend, layer, file) {
  const text = readFileSync(file, 'utf8');
  const chunks = [];
  for (let i = 0; i < text.length; i += 65536) chunks.push(text.slice(i, i + 65536));
  const { feed, pipeline, close, coroutine, send } = await import(pathToFileURL(`${ROOT}dist/index.js`).href);
  const { Tokenizer } = await import(pathToFileURL(`${ROOT}dist/xml/tokenizer.js`).href);
  const dropping = coroutine(function* () {
    for (;;) yield;
  });
  const nothing = () => undefined;
  if (layer === 'floor') return timeTokenizer(backend === 'cosax' ? tokenizerOf(Tokenizer, { startTag: nothing, endTag: nothing, text: nothing }) : emptyHanded(backend), chunks);
  if (layer === 'least adapter') {
    const drop = dropping();
    return timeTokenizer(leastAdapter(backend, Tokenizer, (event) => send(drop, event)), chunks);
  }
  const options = CHAINS[layer];
  let written = 0;
  const chain = options === undefined ? dropping() : pipeline(options, (text) => (written += text.length));
  if (backend === 'events') {
    // made once by our tokenizer, each event copied (the adapter sends the same three objects again)
    const events = [];
    const keep = coroutine(function* () {
      for (;;) events.push({ ...(yield) });
    })();
    const parser = feed(keep, { parser: 'cosax' });
    for (const chunk of chunks) parser.write(chunk);
    parser.end();
    let fastest = Infinity;
    for (let pass = 0; pass < Number(values.passes); pass++) {
      const each = pass === 0 ? chain : pipeline(options, (text) => (written += text.length));
      const start = performance.now();
      for (const event of events) send(each, event);
      close(each);
      fastest = Math.min(fastest, performance.now() - start);
    }
    if (written === 0) throw new Error(`${layer}: nothing written`);
    return fastest;
  }
  const parser = feed(chain, { parser: backend }); // ends by closing the chain: --count writes its number then
  const start = performance.now();
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  const ms = performance.now() - start;
  if (options !== undefined && written === 0) throw new Error(`${layer}: nothing written`);
  return ms;
}

/** Our tokenizer with this handler, behind the write()/close() of the floors' tokenizers. */
function tokenizerOf(Tokenizer, handler) {
  const tokenizer = new Tokenizer(handler, { maxText: 64 * 1024 * 1024 });
  return { write: (chunk) => tokenizer.write(chunk), close: () => tokenizer.end() };
}

/** Milliseconds a tokenizer of its own takes to read the chunks. */
function timeTokenizer(parser, chunks) {
  const start = performance.now();
  for (const chunk of chunks) parser.write(chunk);
  parser.close();
  return performance.now() - start;
}

/** The tokenizer whose callbacks each make the event our adapter makes (one object per kind, as it does), and hand it to `send`. */
function leastAdapter(backend, Tokenizer, send) {
  const started = { type: 'start', name: '', attrs: NO_ATTRIBUTES };
  const texts = { type: 'text', text: '' };
  const ended = { type: 'end', name: '' };
  const start = (name) => {
    started.name = name;
    send(started);
  };
  const text = (piece) => {
    texts.text = piece;
    send(texts);
  };
  const end = (name) => {
    ended.name = name;
    send(ended);
  };
  if (backend === 'cosax') return tokenizerOf(Tokenizer, { startTag: start, endTag: end, text: (source, from, to) => text(source.slice(from, to)) });
  const parser = emptyHanded(backend);
  parser.onopentag = ({ name }) => start(name);
  parser.ontext = parser.oncdata = text;
  parser.onclosetag = end;
  return parser;
}
const NO_ATTRIBUTES = Object.freeze({});

const { values } = parseArgs({ options: { mb: { type: 'string', default: '20' }, runs: { type: 'string', default: '9' }, passes: { type: 'string', default: '1' }, one: { type: 'string' }, file: { type: 'string' } } });

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
  const cases = ['saxes:floor', ...['cosax', 'sax'].flatMap((backend) => LAYERS.map((layer) => `${backend}:${layer}`)), 'events:builder', 'events:bus job', 'events:NDJSON'];
  const times = Object.fromEntries(cases.map((c) => [c, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const c of cases) times[c].push(Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', c, '--file', file, '--passes', values.passes], { encoding: 'utf8' })));
  }
  console.log(`${values.mb} MB bus feed, decoded text in 64 Ki chunks; ms over ${values.runs} runs (min / median)${values.passes === '1' ? '' : `; events rows: the fastest of ${values.passes} passes`}\n`);
  console.log('| backend: layer | min ms | median ms | floor ÷ this (min) | this layer adds (min) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const c of cases) {
    const sorted = times[c].sort((a, b) => a - b);
    const [backend, layer] = c.split(':');
    if (backend === 'events') {
      const alone = (of) => (sorted[0] / Math.min(...times[`${of}:floor`])).toFixed(2);
      console.log(`| ${c.replace(':', ': ')} | ${sorted[0].toFixed(0)} | ${sorted[sorted.length >> 1].toFixed(0)} |  | by itself: ${alone('cosax')} of our tokenizer's floor, ${alone('saxes')} of saxes's |`);
      continue;
    }
    const floor = Math.min(...times[`${backend}:floor`]);
    const below = layer === 'floor' ? 0 : Math.min(...times[`${backend}:${BELOW[layer]}`]);
    const adds = layer === 'floor' ? '' : `${sorted[0] - below >= 0 ? '+' : '−'}${Math.abs(sorted[0] - below).toFixed(0)} ms to ${BELOW[layer]}`;
    console.log(`| ${c.replace(':', ': ')} | ${sorted[0].toFixed(0)} | ${sorted[sorted.length >> 1].toFixed(0)} | ${(floor / sorted[0]).toFixed(2)}× | ${adds} |`);
  }
}
