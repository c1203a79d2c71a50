// convert(), records() and parse(source, target): what an ETL script calls.
// Expected bus values were read off xmltodict.parse(samples/buses.xml) (the oracle), then written here.
import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Json, type XmlEvent, XmlSyntaxError, XmlTransformStream, buildElements, convert, coroutine, parse, pipeline, recordSelector, recordTransform, records, toXml, xmlChunks, xmlTransform } from '../src/index.js';
import { ROOT } from './helpers/run-bin.js';

const run = promisify(execFile);
const BUSES = join(ROOT, 'samples', 'buses.xml');
const ROUTE_22 = ['3596', '6490', '3870', '5040', '1630', '2181', '4713', '4604', '4489', '2080', '7350', '8505', '7868', '8366', '8733', '7609', '3052', '2606', '6491', '1712'];
const FIRST_22 = {
  id: '3596', route: '22', color: '#3300ff', revenue: 'true', direction: 'North Bound', latitude: '41.6769713783637', longitude: '-87.6473175983177',
  pattern: '1256', patternDirection: 'North Bound', run: 'N523', finalStop: 'Cicero & Pulaski Terminal', operator: '11380',
};

const tmp = mkdtempSync(join(tmpdir(), 'cosax-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Runs the iteration to its end; returns what it yielded and what it threw. */
async function until(iterable: AsyncIterable<Json>): Promise<{ seen: Json[]; error: unknown }> {
  const seen: Json[] = [];
  try {
    for await (const item of iterable) seen.push(item);
  } catch (error) {
    return { seen, error };
  }
  return { seen, error: undefined };
}

/** How many of this process's file descriptors are open on `path` (Linux's /proc). */
function openFds(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

const ids = (records: Json[]) => records.map((bus) => (bus as { id: string }).id);

describe('convert()', () => {
  it("converts a whole document with xmltodict's convention", () => {
    expect(convert('<r a="1"><b>x</b><c/><b>y</b><p>Hello <i>world</i> again</p></r>')).toEqual({
      r: { '@a': '1', b: ['x', 'y'], c: null, p: { i: 'world', '#text': 'Hello  again' } },
    });
  });

  it('takes bytes, and decodes them by the XML declaration', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf'), 0xe9, ...new TextEncoder().encode('</a>')]);
    expect(convert(bytes)).toEqual({ a: 'café' });
  });

  it("passes the builder's options through", () => {
    expect(convert('<r k="v"><b>1</b>t</r>', { attrPrefix: '', textKey: '_', forceList: new Set(['b']) })).toEqual({ r: { k: 'v', b: ['1'], _: 't' } });
  });

  it('throws XmlSyntaxError with code, line, column and the file named in options', () => {
    let caught: unknown;
    try {
      convert('<a>\n  <b></a>', { file: 'doc.xml' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(XmlSyntaxError);
    expect(caught).toMatchObject({ code: 'XML_SYNTAX', line: 2, column: 8, file: 'doc.xml', message: 'doc.xml:2:8: the end tag </a> does not match <b>' });
    expect(() => convert('')).toThrow(XmlSyntaxError);
    expect(() => convert(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))).toThrow(expect.objectContaining({ code: 'XML_ENCODING' }));
  });
});

describe('records()', () => {
  it('reads a path whose characters of 2, 3 and 4 bytes straddle every 64 KiB read: each whole (the reader reuses its buffers), also from a FIFO', async () => {
    const value = 'é€𝄞'.repeat(30); // 9 bytes a repeat: every kind of character lands on some boundary
    const wide = join(tmp, 'wide.xml');
    writeFileSync(wide, `<r>${`<v>${value}</v>`.repeat(1000)}</r>`); // 277 KB
    expect(await all(records(wide, { element: 'v' }))).toEqual(new Array(1000).fill(value));
    expect(await all(records(pathToFileURL(wide), { element: 'v' }))).toHaveLength(1000);
    const fifo = join(tmp, 'wide.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = execFile('sh', ['-c', `cat "${wide}" > "${fifo}"`]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    expect(await all(records(fifo, { element: 'v' }))).toEqual(new Array(1000).fill(value)); // not a regular file: read as a stream
    await written;
  });

  it('yields each record of a file, as the whole-document conversion has it under that name', async () => {
    const buses = await all(records(BUSES, { element: 'bus' }));
    expect(buses).toHaveLength(300);
    expect(buses).toEqual((convert(readFileSync(BUSES)) as { buses: { bus: Json[] } }).buses.bus);
    expect(await all(records(BUSES, { element: '/buses/bus' }))).toEqual(buses);
  });

  it('keeps records where every field of the object holds, or the test says yes', async () => {
    const route22 = await all(records(BUSES, { element: 'bus', where: { route: '22' } }));
    expect(ids(route22)).toEqual(ROUTE_22);
    expect(route22[0]).toEqual(FIRST_22);
    expect(ids(await all(records(BUSES, { element: 'bus', where: { route: '22', direction: 'North Bound' } })))).toEqual(['3596', '2181', '4489']);
    expect(ids(await all(records(BUSES, { element: 'bus', where: (bus) => (bus as { route: string }).route === '22' })))).toEqual(ROUTE_22);
    expect(await all(records(BUSES, { element: 'bus', where: { route: '22', nosuchfield: '22' } }))).toEqual([]);
    // compared as text: a number matches the text, and a coerced number matches either
    expect(ids(await all(records(BUSES, { element: 'bus', where: { route: 22, direction: 'North Bound' } })))).toEqual(['3596', '2181', '4489']);
    const xml = ['<r><x><n>1</n><ok>true</ok></x><x><n>2</n><ok>false</ok></x><x><n><v>1</v></n></x><x/></r>'];
    expect(await all(records(xml, { element: 'x', where: { n: 1, ok: true } }))).toEqual([{ n: '1', ok: 'true' }]);
    expect(await all(records(xml, { element: 'x', where: { n: '[object Object]' } }))).toEqual([]);
  });

  it('says what is wrong when the options name no element, or the source is not one', async () => {
    await expect(all(records(BUSES, {} as never))).rejects.toThrow(/options\.element names the records/);
    await expect(all(records(42 as never, { element: 'x' }))).rejects.toThrow(/a source is a path/);
  });

  it('passes options to the builder, and yields an empty record as null', async () => {
    expect(await all(records(['<r><x id="1"/><x/></r>'], { element: 'x', attrPrefix: '$' }))).toEqual([{ $id: '1' }, null]);
  });

  it('reads every kind of source alike: path, URL, gzip file, Readable, web stream, (async) iterables, bytes', async () => {
    const xml = '<r><x>é€😀</x><x>b</x></r>';
    const bytes = new TextEncoder().encode(xml);
    const gz = join(tmp, 'doc.xml.gz');
    writeFileSync(gz, gzipSync(bytes));
    const plain = join(tmp, 'doc.xml');
    writeFileSync(plain, bytes);
    async function* oneByteAtATime() {
      for (const byte of bytes) yield new Uint8Array([byte]);
    }
    const sources = [
      plain,
      pathToFileURL(plain),
      gz,
      createReadStream(gz),
      Readable.from([xml]),
      new Blob([bytes]).stream(),
      ReadableStream.from(['<r><x>é€😀', '</x><x>b</x></r>']),
      oneByteAtATime(),
      [bytes.subarray(0, 7), bytes.subarray(7)], // the cut falls inside "é"
      bytes,
      gzipSync(bytes),
      execFileSync('bzip2', ['-c'], { input: bytes }), // and bzip2, xz, zstd by the system's programs
      execFileSync('xz', ['-c'], { input: bytes }),
      execFileSync('zstd', ['-c'], { input: bytes }),
      [...gzipSync(bytes)].map((byte) => new Uint8Array([byte])), // gzip's two magic bytes in two chunks
    ];
    for (const source of sources) expect(await all(records(source, { element: 'x' }))).toEqual(['é€😀', 'b']);
  });

  it('reads no further than the chunk that completes the record being asked for', async () => {
    let pulled = 0;
    async function* chunks() {
      yield '<r>';
      for (let i = 1; i <= 1000; i++) {
        pulled++;
        yield `<x>${i}</x>`;
      }
      yield '</r>';
    }
    const iterator = records(chunks(), { element: 'x' });
    expect((await iterator.next()).value).toBe('1');
    expect(pulled).toBe(1);
    for (let i = 2; i <= 50; i++) await iterator.next();
    expect(pulled).toBe(50);
    await iterator.return();
  });

  it('holds one chunk of records at a time: the heap does not grow with the document', async () => {
    // In a child with --expose-gc, over the built package: 60,000 records (16 MB of XML) from a generator.
    const script = `
      import { records } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)};
      async function* chunks() {
        yield '<feed>';
        for (let i = 0; i < 600; i++) {
          let chunk = '';
          for (let j = 0; j < 100; j++) chunk += '<entry id="' + (i * 100 + j) + '"><title>entry</title><body>' + 'x'.repeat(200) + '</body></entry>';
          yield chunk;
        }
        yield '</feed>';
      }
      let n = 0, base = 0, peak = 0;
      for await (const entry of records(chunks(), { element: 'entry' })) {
        if (++n % 10000 !== 0) continue;
        globalThis.gc();
        const used = process.memoryUsage().heapUsed;
        if (n === 10000) base = used;
        peak = Math.max(peak, used);
      }
      console.log(JSON.stringify({ n, growth: peak - base }));
    `;
    const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', script]);
    const { n, growth } = JSON.parse(stdout) as { n: number; growth: number };
    expect(n).toBe(60_000);
    expect(growth).toBeLessThan(1024 * 1024); // keeping the records would be ~20 MB
  });

  it('closes the file when the loop is left early, gzipped or not', async () => {
    // Files larger than what a stream reads ahead, so they are still open at the first record.
    const big = join(tmp, 'big.xml');
    await run(process.execPath, [join(ROOT, 'samples', 'generate-buses.mjs'), '--buses', '20000', '--out', big]);
    const gz = join(tmp, 'big.xml.gz');
    writeFileSync(gz, gzipSync(readFileSync(big)));
    expect(statSync(gz).size).toBeGreaterThan(256 * 1024);
    for (const path of [big, gz]) {
      for await (const bus of records(path, { element: 'bus' })) {
        expect(bus).toBeTruthy();
        expect(openFds(path)).toBe(1); // so that the check below could fail
        break;
      }
      await vi.waitFor(() => expect(openFds(path)).toBe(0));
    }
  });

  it('destroys a Readable and cancels a web stream when the loop is left early', async () => {
    const readable = createReadStream(BUSES, { highWaterMark: 1024 });
    for await (const bus of records(readable, { element: 'bus' })) {
      expect(bus).toBeTruthy();
      break;
    }
    if (!readable.closed) await new Promise<void>((resolve) => readable.on('close', () => resolve())); // destroyed, with Node's AbortError
    expect(readable.destroyed).toBe(true);

    let cancelled = false;
    const web = new ReadableStream<string>({
      pull: (controller) => controller.enqueue('<x>1</x>'.repeat(10)),
      cancel: () => void (cancelled = true),
    });
    for await (const record of records(web, { element: 'x' })) {
      expect(record).toBe('1');
      break;
    }
    await vi.waitFor(() => expect(cancelled).toBe(true));
  });

  it('yields every record completed before a fault, then rejects with the positioned XmlSyntaxError', async () => {
    const bad = join(tmp, 'bad.xml');
    writeFileSync(bad, '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x></r>');
    const { seen, error } = await until(records(bad, { element: 'x' }));
    expect(seen).toEqual([{ v: '1' }]);
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect(error).toMatchObject({ code: 'XML_SYNTAX', line: 3, column: 10, file: bad });
    await vi.waitFor(() => expect(openFds(bad)).toBe(0));

    // The fault in a later chunk than the records; the fault at the end (an unclosed root).
    expect(await until(records(['<r><x>1</x>', '<x>2</x><x>3', '</y>'], { element: 'x' }))).toMatchObject({ seen: ['1', '2'], error: { line: 1, column: 26 } });
    const unclosed = await until(records(['<r><x>1</x>'], { element: 'x', file: 'feed' }));
    expect(unclosed.seen).toEqual(['1']);
    expect(unclosed.error).toBeInstanceOf(XmlSyntaxError);
    expect((unclosed.error as XmlSyntaxError).message).toMatch(/^feed:1:\d+: /);
  });

  it('rejects bad bytes with code XML_ENCODING, and a missing file with its system error', async () => {
    expect((await until(records([new Uint8Array([...new TextEncoder().encode('<r><x>1</x><x>'), 0xc3, 0x28])], { element: 'x' })))).toMatchObject({
      seen: ['1'],
      error: { code: 'XML_ENCODING', line: 1 },
    });
    expect((await until(records(join(tmp, 'missing.xml'), { element: 'x' }))).error).toMatchObject({ code: 'ENOENT' });
  });
  it("rejects an empty source as XML without a root, and a truncated gzip with zlib's error", async () => {
    expect((await until(records([], { element: 'x' }))).error).toBeInstanceOf(XmlSyntaxError);
    const gz = gzipSync('<r><x>1</x><x>2</x></r>');
    expect(await until(records([gz.subarray(0, gz.length - 12)], { element: 'x' }))).toMatchObject({ seen: ['1', '2'], error: { code: 'Z_BUF_ERROR' } });
  });
});

describe('parse(source, target)', () => {
  it("feeds a path into a user's chain and closes it at the end", async () => {
    const log: string[] = [];
    const count = coroutine(function* (): Generator<unknown, void, Json> {
      let n = 0;
      try {
        for (;;) {
          yield;
          n++;
        }
      } finally {
        log.push(`${n} buses`);
      }
    });
    await parse(BUSES, buildElements(recordSelector('bus'), {}, count()));
    expect(log).toEqual(['300 buses']);
  });

  it('names the file in its error, after the chain has flushed', async () => {
    const log: string[] = [];
    const sink = coroutine(function* (): Generator<unknown, void, Json> {
      try {
        for (;;) log.push(JSON.stringify(yield));
      } finally {
        log.push('closed');
      }
    });
    const bad = join(tmp, 'bad2.xml');
    writeFileSync(bad, '<r><x>1</x><x>');
    await expect(parse(bad, buildElements(recordSelector('x'), {}, sink()))).rejects.toMatchObject({ name: 'XmlSyntaxError', file: bad });
    expect(log).toEqual(['"1"', 'closed']);
  });
});

describe('records() of several elements', () => {
  it('yields each element named, in document order; tag: true names each record', async () => {
    const osm = ['<osm><node id="1"/><way id="2"><nd ref="1"/></way><node id="3"/><relation id="4"/></osm>'];
    expect(await all(records(osm, { element: ['node', 'way'] }))).toEqual([{ '@id': '1' }, { '@id': '2', nd: { '@ref': '1' } }, { '@id': '3' }]);
    expect(await all(records(osm, { element: ['/osm/way', 'relation'], tag: true }))).toEqual([{ way: { '@id': '2', nd: { '@ref': '1' } } }, { relation: { '@id': '4' } }]);
  });
});

describe('options are checked: a wrong or misspelt one is a TypeError naming it, never ignored', () => {
  it('limits.maxRecord is honoured as maxRecord is, and the error names the option, not a CLI flag', async () => {
    for (const options of [{ limits: { maxRecord: 5 } }, { maxRecord: 5 }]) {
      const { seen, error } = await until(records(['<r><x>1</x><x>123456</x></r>'], { element: 'x', ...options }));
      expect(seen).toEqual(['1']);
      expect(error).toMatchObject({ code: 'XML_LIMIT' });
      expect((error as Error).message).toContain('(maxRecord)');
    }
    expect(() => convert('<a>123456</a>', { limits: { maxRecord: 5 } })).toThrow(/\(maxRecord\)/);
  });

  it.each<[string, object]>([
    ['unknown option "elemnt"', { element: 'x', elemnt: 'y' }],
    ['unknown option "limits.maxRecod"', { element: 'x', limits: { maxRecod: 5 } }],
    ['option maxRecord: expected a positive whole number, got -1', { element: 'x', maxRecord: -1 }],
    ['option limits.maxDepth: expected a positive whole number, got "10"', { element: 'x', limits: { maxDepth: '10' } }],
    ['option element: "node,way": not an element name', { element: 'node,way' }],
    ['option element: "*": not an element name', { element: '*' }],
    ['option element: "channel/item": a relative path', { element: 'channel/item' }],
    ['option where: "Amt>" is not an element name', { element: 'x', where: { 'Amt>': 5 } }],
    ['option parser: expected "cosax" or "sax"', { element: 'x', parser: 'expat' }],
    ['option maxRecord is given twice', { element: 'x', maxRecord: 5, limits: { maxRecord: 6 } }],
  ])('%s', async (message, options) => {
    const { error } = await until(records(['<r/>'], options as never));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message.startsWith(`records(): ${message}`)).toBe(true);
    expect(() => recordTransform(options as never)).toThrow(`recordTransform(): ${message}`);
  });

  it('pipeline() and parse() check theirs: a misspelt record element or an unknown format is not a silent whole-document or NDJSON run', async () => {
    const write = () => undefined;
    expect(() => pipeline({ elemnt: 'a', format: 'ndjson' } as never, write)).toThrow(/^pipeline\(\): unknown option "elemnt"; the options are /);
    expect(() => pipeline({ element: 'a', format: 'xml' } as never, write)).toThrow('pipeline(): option format: expected "json", "ndjson" or "csv", got "xml"');
    expect(() => pipeline({ element: 'a', fields: 'id' } as never, write)).toThrow('pipeline(): option fields: expected an array of field paths, each once, got "id"');
    expect(() => pipeline({ element: 'a', fields: ['id', 'id'] }, write)).toThrow('pipeline(): option fields: expected an array of field paths, each once, got id,id');
    await expect(parse(['<a/>'], coroutine(function* (): Generator<unknown, void, XmlEvent> { for (;;) yield; })(), { parsr: 'sax' } as never)).rejects.toThrow(/^parse\(\): unknown option "parsr"; the options are keepSpace, file, encoding, parser, limits, drained, stop, skip$/);
    // its hooks are options too: the sink's backpressure, awaited after each chunk, and stop, asked after each
    const events: string[] = [];
    let chunks = 0;
    await parse(['<a>', '<b/>', '</a>'], coroutine(function* (): Generator<unknown, void, XmlEvent> { for (;;) events.push((yield).type); })(), { drained: () => void chunks++, stop: () => chunks === 2 });
    expect({ events, chunks }).toEqual({ events: ['start', 'start', 'end'], chunks: 2 }); // stopped after the second chunk, </a> unread
  });

  it('the way back checks its options too: toXml(), xmlChunks(), xmlTransform(), XmlTransformStream', async () => {
    expect(() => toXml({ a: '1' }, { prety: true } as never)).toThrow(/^toXml\(\): unknown option "prety"; the options are pretty, indent, /);
    expect(() => toXml({ a: '1' }, { pretty: 'yes' } as never)).toThrow('toXml(): option pretty: expected true or false, got "yes"');
    expect(() => toXml({ a: '1' }, { indent: -2 })).toThrow('toXml(): option indent: expected white space, or a number of spaces, got -2');
    expect(() => xmlTransform({ rot: 'r' } as never)).toThrow(/^xmlTransform\(\): unknown option "rot"/);
    expect(() => new XmlTransformStream({ rot: 'r' } as never)).toThrow(/^XmlTransformStream: unknown option "rot"/);
    await expect(xmlChunks([{ a: '1' }], { rot: 'r' } as never).next()).rejects.toThrow(/^xmlChunks\(\): unknown option "rot"/);
    expect(() => toXml([{ a: '1' }], { item: 'i' })).toThrow('toXml(): option item names the records inside root: give root too');
    expect(toXml({ a: '1' }, { pretty: true, indent: 2, root: undefined })).toBe('<?xml version="1.0" encoding="utf-8"?>\n<a>1</a>'); // undefined is as absent
  });

  it('convert() checks its own', () => {
    for (const [xml, got] of [[42, 'number'], [null, 'null'], [undefined, 'undefined']] as const) {
      expect(() => convert(xml as never)).toThrow(`convert(): the XML is a string or bytes (a Uint8Array, a Buffer), got ${got}`);
    }
    expect(() => convert('<a/>', { attrPrefx: '' } as never)).toThrow(/^convert\(\): unknown option "attrPrefx"; the options are attrPrefix, /);
    expect(() => convert('<a/>', { textKey: '' })).toThrow('convert(): option textKey: expected a string that is not empty, got ""');
  });
});
