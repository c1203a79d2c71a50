// One benchmark case, run in a process of its own (so its peak RSS is its own):
//   node --import ./test/bench/report.mjs test/bench/cases.mjs CASE FILE
// Every case reads FILE and writes its output to stdout (the driver points stdout at /dev/null).
// The two jobs: "bus" = buses of route 22 going North Bound, as CSV (route,id,direction,latitude,longitude);
// "ndjson" = every <bus> as a JSON object on a line.

import { createReadStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
// ltx's own SAX tokenizer (what ltx.Parser builds its tree from); saxen is ESM only, loaded when used.
const LtxSax = require('ltx').Parser.prototype.DefaultParser;
const [name, file] = process.argv.slice(2);
const FIELDS = ['route', 'id', 'direction', 'latitude', 'longitude'];
const CHUNK = 64 * 1024;

// The peers' records are plain { field: text } objects; their writers share these two helpers.
const out = process.stdout;
let pending = [];
let pendingLength = 0;
async function write(text) {
  pending.push(text);
  pendingLength += text.length;
  if (pendingLength > CHUNK) await flush();
}
async function flush() {
  if (pending.length === 0) return;
  const ok = out.write(pending.join(''));
  pending = [];
  pendingLength = 0;
  if (!ok) await once(out, 'drain');
}
const isBus22North = (bus) => String(bus.route) === '22' && bus.direction === 'North Bound';
const csvRow = (bus) => FIELDS.map((field) => bus[field] ?? '').join(',') + '\n';

/** The job on an array of plain records (the whole-document peers). */
async function jobOnArray(job, buses) {
  if (job === 'bus') {
    await write(FIELDS.join(',') + '\n');
    for (const bus of buses) if (isBus22North(bus)) await write(csvRow(bus));
  } else {
    for (const bus of buses) await write(JSON.stringify(bus) + '\n');
  }
  await flush();
}

/** A handler of streamed records for the job; `done()` flushes. Synchronous: stdout is a file here. */
function jobOnStream(job) {
  let header = job === 'bus';
  const put = (text) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength > CHUNK) void flush();
  };
  return {
    record(bus) {
      if (header) {
        put(FIELDS.join(',') + '\n');
        header = false;
      }
      if (job === 'bus') {
        if (isBus22North(bus)) put(csvRow(bus));
      } else put(JSON.stringify(bus) + '\n');
    },
    done: flush,
  };
}

/** The hand-written handlers of a SAX-style peer: inside a <bus>, each child's trimmed text is a field. */
function busFields(handler) {
  let bus;
  let text = '';
  return {
    start(name) {
      if (name === 'bus') bus = {};
      text = '';
    },
    text(piece) {
      if (bus !== undefined) text += piece;
    },
    end(name) {
      if (name === 'bus') {
        handler.record(bus);
        bus = undefined;
      } else if (bus !== undefined) bus[name] = text.trim();
    },
  };
}

/** Pipes FILE into a stream-parser, awaiting drain of our output after each chunk it consumed. */
async function pipeInto(writable, encoding) {
  const input = createReadStream(file, { highWaterMark: CHUNK, encoding });
  input.pipe(writable);
  await once(writable, 'finish');
}

/** A floor's tokenizer: empty handlers, and the options our adapter uses (strict, positions, XML's entities only). */
export function emptyHanded(backend) {
  const nothing = () => undefined;
  if (backend === 'ltx') {
    const parser = new LtxSax();
    for (const event of ['startElement', 'endElement', 'text']) parser.on(event, nothing);
    return Object.assign(parser, { close: () => parser.end() });
  }
  if (backend === 'sax') {
    const parser = require('sax').parser(true, { position: true, strictEntities: true });
    parser.onopentag = parser.ontext = parser.oncdata = parser.onclosetag = parser.onattribute = nothing;
    return parser;
  }
  const parser = new (require('saxes').SaxesParser)({ position: true });
  for (const event of ['opentag', 'text', 'cdata', 'closetag', 'attribute']) parser.on(event, nothing);
  return parser;
}

/** Our chain's options for the two jobs, as the CLI's flags give them. */
export const JOBS = {
  bus: { element: 'bus', where: { route: '22', direction: 'North Bound' }, format: 'csv', fields: FIELDS },
  ndjson: { element: 'bus', format: 'ndjson' },
};

/** Feeds FILE to a floor's tokenizer, a 64 KiB chunk at a time, through TextDecoder. */
async function tokenize(parser) {
  const decoder = new TextDecoder();
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) parser.write(decoder.decode(chunk, { stream: true }));
  parser.close();
}

/** saxen with empty handlers: it reads names and skips attributes unless a handler asks for them. */
async function saxenFloor() {
  const { Parser } = await import('saxen');
  const parser = new Parser();
  const nothing = () => undefined;
  for (const event of ['openTag', 'closeTag', 'text', 'cdata']) parser.on(event, nothing);
  parser.on('error', (error) => {
    throw error;
  });
  return Object.assign(parser, { close: () => parser.end() });
}

const floors = {
  async read() {
    let bytes = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) bytes += chunk.length;
    if (bytes === 0) throw new Error('empty file');
  },
  sax: () => tokenize(emptyHanded('sax')),
  saxes: () => tokenize(emptyHanded('saxes')),
  ltx: () => tokenize(emptyHanded('ltx')),
  saxen: async () => tokenize(await saxenFloor()),
};

/**
 * Ours: the library's chain, as the CLI composes it (source ▶ parse ▶ pipeline ▶ sink), without the
 * CLI's argument parsing, whose fixed start-up (~0.3 s, loading yargs) is not a per-MB cost.
 */
function ours(parser, job) {
  return async () => {
    const { parse, pipeline } = await import('../../dist/index.js');
    const { streamSink } = await import('../../dist/io/sink.js');
    const { holdYoungGeneration } = await import('../../dist/io/memory.js');
    holdYoungGeneration(); // as bin/xml2json.js does
    const sink = streamSink(process.stdout);
    const options = JOBS[job];
    const source = createReadStream(file, { highWaterMark: CHUNK });
    await parse(source, pipeline(options, sink.write), { file, parser, drained: sink.drained });
  };
}

/** The command line itself, as a user runs it (`-j N` is the CLI's: worker threads, byte ranges). */
const ARGS = {
  bus: ['-e', 'bus', '-w', 'route=22', '-w', 'direction=North Bound', '-f', 'csv', '--fields', FIELDS.join(',')],
  ndjson: ['-e', 'bus', '-f', 'ndjson'],
};
function command(job, jobs, files = [file]) {
  return async () => {
    const { run } = await import('../../dist/cli.js');
    const { holdYoungGeneration } = await import('../../dist/io/memory.js');
    holdYoungGeneration(); // as bin/xml2json.js does
    const code = await run([...files, ...ARGS[job], '-j', String(jobs)], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    if (code !== 0) throw new Error(`xml2json exited ${code}`);
  };
}
// Several FILEs: four files of a quarter of the feed each (run.mjs makes them; the MB are theirs together).
const quarters = () => Array.from({ length: 4 }, () => process.env.COSAX_BENCH_QUARTER);

const peers = {
  // Whole document: read it, parse it, walk the result.
  'fast-xml-parser': async (job) => {
    const { XMLParser } = require('fast-xml-parser');
    const doc = new XMLParser({ parseTagValue: false }).parse(readFileSync(file, 'utf8')); // values as text, as ours
    await jobOnArray(job, doc.buses.bus);
  },
  xml2js: async (job) => {
    const xml2js = require('xml2js');
    const doc = await xml2js.parseStringPromise(readFileSync(file, 'utf8'), { explicitArray: false });
    await jobOnArray(job, doc.buses.bus);
  },
  'xml-js': async (job) => {
    const { xml2js } = require('xml-js');
    const doc = xml2js(readFileSync(file, 'utf8'), { compact: true, cdataKey: '_text' });
    const plain = (bus) => Object.fromEntries(Object.entries(bus).map(([key, value]) => [key, value._text]));
    await jobOnArray(job, doc.buses.bus.map(plain));
  },
  // Streaming: one record per <bus> as it ends.
  txml: async (job) => {
    const { transformStream, simplify } = require('txml');
    const handler = jobOnStream(job);
    const parser = transformStream();
    parser.on('data', (node) => {
      if (typeof node !== 'string' && node.tagName === 'bus') handler.record(simplify(node.children));
    });
    await pipeInto(parser, 'utf8');
    await handler.done();
  },
  'sax-stream': async (job) => {
    const saxStream = require('sax-stream');
    const handler = jobOnStream(job);
    const parser = saxStream({ strict: true, tag: 'bus' });
    parser.on('data', (bus) => {
      const record = {};
      for (const key of Object.keys(bus.children)) record[key] = bus.children[key].value;
      handler.record(record);
    });
    await pipeInto(parser);
    await handler.done();
  },
  // SAX-style with hand-written handlers: each <bus> child's text becomes a field.
  saxen: async (job) => {
    const { Parser } = await import('saxen');
    const handler = jobOnStream(job);
    const parser = new Parser();
    const bus = busFields(handler);
    parser.on('openTag', (name) => bus.start(name));
    parser.on('text', (text, decode) => bus.text(decode(text)));
    parser.on('cdata', (text) => bus.text(text));
    parser.on('closeTag', (name) => bus.end(name));
    parser.on('error', (error) => {
      throw error;
    });
    const decoder = new TextDecoder();
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) parser.write(decoder.decode(chunk, { stream: true }));
    parser.end();
    await handler.done();
  },
  ltx: async (job) => {
    const handler = jobOnStream(job);
    const parser = new LtxSax();
    const bus = busFields(handler);
    parser.on('startElement', (name) => bus.start(name));
    parser.on('text', (text) => bus.text(text)); // CDATA too, entities decoded
    parser.on('endElement', (name) => bus.end(name));
    parser.on('error', (error) => {
      throw error;
    });
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK, encoding: 'utf8' })) parser.write(chunk);
    parser.end();
    await handler.done();
  },
  'xml-flow': async (job) => {
    const flow = require('xml-flow');
    const handler = jobOnStream(job);
    const stream = flow(createReadStream(file, { highWaterMark: CHUNK }), { strict: true }); // strict keeps names' case
    stream.on('tag:bus', (bus) => handler.record(bus));
    await once(stream, 'end');
    await handler.done();
  },
};

/**
 * Our own tokenizer's floor: the public parse(source, target) into a coroutine that takes every event
 * and does nothing with it — taking them in batches, as the builder does, or one a send.
 */
function cosaxFloor(batches) {
  return async () => {
    const { coroutine, parse, takesBatches } = await import('../../dist/index.js');
    const reading = coroutine(function* () {
      for (;;) {
        const batch = yield;
        while (batch.next() !== undefined);
      }
    });
    const dropping = coroutine(function* () {
      for (;;) yield;
    });
    await parse(createReadStream(file, { highWaterMark: CHUNK }), batches ? takesBatches(reading()) : dropping(), { file, parser: 'cosax' });
  };
}

/** Our backends, by the name `parser` takes: each has our two rows (run.mjs runs those the built library has). */
export const BACKENDS = ['cosax', 'sax'];

export const CASES = {
  'floor: read bytes': floors.read,
  'floor: cosax tokenizer, coroutine taking batches': cosaxFloor(true),
  'floor: cosax tokenizer, coroutine taking one event a send': cosaxFloor(false),
  'floor: sax, empty handlers': floors.sax,
  'floor: saxes, empty handlers': floors.saxes,
  'floor: saxen, empty handlers': floors.saxen,
  'floor: ltx, empty handlers': floors.ltx,
  ...Object.fromEntries(
    BACKENDS.flatMap((backend) => [
      [`cosax (${backend}): bus job`, ours(backend, 'bus')],
      [`cosax (${backend}): NDJSON`, ours(backend, 'ndjson')],
    ]),
  ),
  'cosax (cosax, CLI -j 1): bus job': command('bus', 1),
  'cosax (cosax, CLI -j 1): NDJSON': command('ndjson', 1),
  'cosax (cosax, CLI -j 2): bus job': command('bus', 2),
  'cosax (cosax, CLI -j 2): NDJSON': command('ndjson', 2),
  'cosax (cosax, CLI -j 1): 4 files, NDJSON': () => command('ndjson', 1, quarters())(),
  'cosax (cosax, CLI -j 2): 4 files, NDJSON': () => command('ndjson', 2, quarters())(),
  ...Object.fromEntries(
    Object.entries(peers).flatMap(([peer, job]) => [
      [`${peer}: bus job`, () => job('bus')],
      [`${peer}: NDJSON`, () => job('ndjson')],
    ]),
  ),
};

// Run as a script (not when run.mjs imports the list of cases).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!Object.hasOwn(CASES, name)) throw new Error(`no case "${name}"`);
  await CASES[name]();
}
