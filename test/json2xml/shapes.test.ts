// NDJSON records written from their text (src/json/shapes.ts): a line of a shape seen before is not
// read into a value, and nothing else may change — the XML is the long way's byte for byte, and
// xmltodict's where it writes well-formed XML; a refusal is the long way's, at the same line and JSON path.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToXmlError } from '../../src/json/errors.js';
import { readJson } from '../../src/json/read.js';
import { RecordShapes } from '../../src/json/shapes.js';
import type { XmlRecordOptions } from '../../src/json/xml-writer.js';
import { emitXml } from '../../src/stages/emit-xml.js';
import { type Request, type UnparseOptions, unparsed, xmlOptions } from './oracle.js';

interface Written {
  xml: string;
  error?: { code: string; path: string | undefined; line: number | undefined };
}

/** json2xml's chain on NDJSON text: lines sent as text (the way shapes are used), or read first. */
async function written(ndjson: string, options: XmlRecordOptions, lines: boolean): Promise<Written> {
  let xml = '';
  const chain = emitXml(options, (text) => (xml += text));
  try {
    await readJson([ndjson], chain, { format: 'ndjson', file: 'in.ndjson', lines });
    return { xml };
  } catch (error) {
    if (!(error instanceof ToXmlError)) throw error;
    return { xml, error: { code: error.code, path: error.path, line: error.line } };
  }
}

/** How many lines were written from their text. */
function fromText(spy: { mock: { results: Array<{ type: string; value: unknown }> } }): number {
  return spy.mock.results.filter((result) => result.type === 'return' && result.value !== undefined).length;
}

/** A JSON string as a line may hold it: only what JSON must escape is escaped, so a lone surrogate or U+FFFE stays as it is. */
function quoted(text: string): string {
  return `"${text.replace(/["\\\u0000-\u001f]/gu, (char) => JSON.stringify(char).slice(1, -1))}"`;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('records written from their text', () => {
  it('from the third record of a shape on; white space inside and after it, a CR LF and any values of text are the same shape', async () => {
    const spy = vi.spyOn(RecordShapes.prototype, 'xml');
    const ndjson = ['{"id":"1","stop":"A & B"}', '{"id":"2","stop":"<C>"}', '{"id": 3, "stop": null}\r', '{ "id" : true , "stop" : "𝄞" } ', '{"id":"","stop":"x"}'].join('\n');
    const { xml } = await written(ndjson, { root: 'r', item: 'i' }, true);
    expect(xml).toBe(`${DECLARATION}<r><i><id>1</id><stop>A &amp; B</stop></i><i><id>2</id><stop>&lt;C&gt;</stop></i><i><id>3</id><stop></stop></i><i><id>true</id><stop>𝄞</stop></i><i><id></id><stop>x</stop></i></r>`);
    expect(fromText(spy)).toBe(3);
  });

  it('numbers as Python writes what json.loads makes of them: 1.0 a float, -0 an int, every digit of a long integer', async () => {
    const spy = vi.spyOn(RecordShapes.prototype, 'xml');
    const numbers = ['{"id":1.0,"stop":-0}', '{"id":1e2,"stop":12345678901234567890}', '{"id":-2.5E-7,"stop":0.1}', '{"id":1e400,"stop":9007199254740993}'];
    const ndjson = ['{"id":"1","stop":"x"}', '{"id":"2","stop":"y"}', ...numbers].join('\n');
    const { xml } = await written(ndjson, { root: 'r', item: 'i' }, true);
    expect(xml).toBe((await written(ndjson, { root: 'r', item: 'i' }, false)).xml);
    expect(xml).toContain('<i><id>1.0</id><stop>0</stop></i><i><id>100.0</id><stop>12345678901234567890</stop></i><i><id>-2.5e-07</id><stop>0.1</stop></i><i><id>inf</id><stop>9007199254740993</stop></i>');
    expect(fromText(spy)).toBe(4);
  });

  it('a line that is not exactly the shape is read: another key, a key twice, an escape, a nested value, white space before it', async () => {
    const spy = vi.spyOn(RecordShapes.prototype, 'xml');
    const others = ['{"id":"1","name":"x"}', '{"id":"1","id":"2"}', '{"id":"a\\nb","stop":"x"}', '{"id":"\\u0041","stop":"x"}', '{"id":{"v":"1"},"stop":"x"}', '{"id":[],"stop":"x"}', ' {"id":"1","stop":"x"}'];
    const ndjson = ['{"id":"1","stop":"x"}', '{"id":"2","stop":"y"}', ...others].join('\n');
    const { xml } = await written(ndjson, { root: 'r', item: 'i' }, true);
    expect(xml).toBe((await written(ndjson, { root: 'r', item: 'i' }, false)).xml);
    expect(xml).toContain('<i><id>2</id></i>'); // the key twice: its last value, as json.loads keeps it
    expect(fromText(spy)).toBe(0);
  });

  it('a refusal in a line of a known shape is the long way\'s: its code, line and JSON path', async () => {
    const known = '{"id":"1","stop":"x"}\n{"id":"2","stop":"y"}\n';
    for (const [line, code, path] of [
      ['{"id":"1","stop":"x\ufffe"}', 'XML_CHAR', '$.stop'],
      ['{"id":"\ud800","stop":"x"}', 'XML_CHAR', '$.id'],
      ['{"id":"1","stop":"x\u0001"}', 'JSON_SYNTAX', undefined],
      ['{"id":"1","stop":"x",}', 'JSON_SYNTAX', undefined],
    ] as const) {
      const ndjson = known + known + line + '\n{"id":"3","stop":"z"}\n';
      const fast = await written(ndjson, { root: 'r', item: 'i' }, true);
      expect(fast).toEqual(await written(ndjson, { root: 'r', item: 'i' }, false));
      expect(fast.error).toEqual({ code, path, line: 5 });
      expect(fast.xml.endsWith('<i><id>2</id><stop>y</stop></i></r>')).toBe(true); // the records before it, and the root closed
    }
  });

  it('a line that fails only at its end is given up at once, however many fields match before (no backtracking through them)', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    const line = `{${keys.map((key) => `"${key}":"v"`).join(',')}}`;
    const late = `${line.slice(0, -1)},"extra":"x"}`; // each "v" could be read two ways, were the alternatives not exclusive: 2^60 tries
    const { xml } = await written([line, line, late].join('\n'), { root: 'r', item: 'i' }, true);
    expect(xml.endsWith(`${keys.map((key) => `<${key}>v</${key}>`).join('')}<extra>x</extra></i></r>`)).toBe(true);
  });

  it('a record whose one key holds the fields is a shape too, with an item or without', async () => {
    const spy = vi.spyOn(RecordShapes.prototype, 'xml');
    const ndjson = ['{"bus":{"id":"1","stop":"A & B"}}', '{"bus": {"id": "2", "stop": null}}', '{"bus":{"id":3,"stop":"c"}}', '{"bus":{"id":"4","stop":"d"},"x":"1"}', '{"bus":{"id":"5","stop":"e"}}'].join('\n');
    const buses = '<bus><id>1</id><stop>A &amp; B</stop></bus><bus><id>2</id><stop></stop></bus><bus><id>3</id><stop>c</stop></bus>';
    expect((await written(ndjson, { root: 'r' }, true)).xml).toBe(`${DECLARATION}<r>${buses}<bus><id>4</id><stop>d</stop></bus><x>1</x><bus><id>5</id><stop>e</stop></bus></r>`);
    expect(fromText(spy)).toBe(2);
    for (const options of [{ root: 'r', item: 'i' }, { root: 'r', item: 'i', pretty: true }, { root: 'r', pretty: true, shortEmptyElements: true }]) {
      expect((await written(ndjson, options, true)).xml).toBe((await written(ndjson, options, false)).xml);
    }
    expect(fromText(spy)).toBe(8);
  });

  it('keys that are names of Object.prototype, or not ASCII, are keys; the text key and attributes are not fields', async () => {
    const spy = vi.spyOn(RecordShapes.prototype, 'xml');
    const ndjson = Array.from({ length: 4 }, (_, i) => `{"__proto__":"${i}","constructor":"c","é.x":"e","p:a":"p"}`).join('\n');
    const { xml } = await written(ndjson, { root: 'r', item: 'i' }, true);
    expect(xml).toBe(`${DECLARATION}<r>${Array.from({ length: 4 }, (_, i) => `<i><__proto__>${i}</__proto__><constructor>c</constructor><é.x>e</é.x><p:a>p</p:a></i>`).join('')}</r>`);
    expect(fromText(spy)).toBe(2);
    spy.mockClear();
    const special = Array.from({ length: 4 }, () => '{"@id":"1","#text":"t","x":"y"}').join('\n');
    expect((await written(special, { root: 'r', item: 'i' }, true)).xml).toBe(`${DECLARATION}<r>${'<i id="1"><x>y</x>t</i>'.repeat(4)}</r>`);
    expect(fromText(spy)).toBe(0);
  });
});

// Records of a few shapes, in lines of many spellings, with values that are written from the text and
// values that are not: the same XML as the long way, and as xmltodict's.
const KEY_LISTS = [['id', 'route', 'finalStop'], ['a'], ['__proto__', 'é', 'p:a', 'x.y', 'constructor']];
const piece = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('x', 'Pulaski & Midway', '<', '>', '"', '\\', ' ', '\t', '\n', '𝄞', 'é', '\u00a0', '&amp;', '007', '') },
  { weight: 1, arbitrary: fc.constantFrom('\ufffe', '\ud800', '\udc00x', '\u0001') }, // XML forbids them
);
const stringValue = fc.array(piece, { maxLength: 3 }).map((pieces) => quoted(pieces.join('')));
const otherValue = fc.constantFrom('7', '0', '-0', '-12', '1.0', '1e2', '2.5', '123456789012345', '1234567890123456', '12345678901234567890', 'true', 'false', 'null', '""', '{"v":"1"}', '["a","b"]', '[]', '{}');
const value = fc.oneof({ weight: 4, arbitrary: stringValue }, { weight: 1, arbitrary: otherValue });
const spelling = fc.record({ comma: fc.constantFrom(',', ',', ', ', ' ,'), colon: fc.constantFrom(':', ':', ': '), end: fc.constantFrom('', '', '\r', ' ') });
const record = (keys: string[]) =>
  fc.tuple(fc.array(value, { minLength: keys.length, maxLength: keys.length }), spelling, fc.constantFrom(...Array<string>(10).fill('same'), 'twice', 'fewer')).map(([values, { comma, colon, end }, change]) => {
    const fields = keys.map((key, i) => `"${key}"${colon}${values[i]}`);
    if (change === 'twice') fields.push(fields[0]!);
    if (change === 'fewer' && fields.length > 1) fields.pop();
    return `{${fields.join(comma)}}${end}`;
  });
// A batch's records are each its own line, or each in a record of one key ({"w": {…}}).
const batch = fc
  .tuple(fc.constantFrom(...KEY_LISTS).chain((keys) => fc.array(record(keys), { minLength: 3, maxLength: 12 })), fc.boolean())
  .map(([lines, wrapped]) => (wrapped ? lines.map((line) => `{"w" : ${line}}`) : lines));
const OPTION_SETS: Array<{ opts: UnparseOptions; item: boolean }> = [
  { opts: {}, item: true },
  { opts: {}, item: false },
  { opts: { pretty: true }, item: true },
  { opts: { pretty: true, indent: '  ', short_empty_elements: true }, item: false },
  { opts: { short_empty_elements: true }, item: true },
];

describe('random records of a few shapes', () => {
  it('the same XML written from the text as read first, and as xmltodict.unparse writes', async () => {
    const spy = vi.spyOn(RecordShapes.prototype, 'xml');
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const batches = fc.sample(batch, { numRuns: 400, seed });
    const cases = batches.flatMap((lines) => OPTION_SETS.map((set) => ({ lines, ...set })));
    const failures: string[] = [];
    const requests: Request[] = [];
    const ours: string[] = [];
    for (const { lines, opts, item } of cases) {
      const options = { ...xmlOptions(opts), root: 'r', ...(item ? { item: 'i' } : {}) };
      const fast = await written(lines.join('\n'), options, true);
      const slow = await written(lines.join('\n'), options, false);
      if (JSON.stringify(fast) !== JSON.stringify(slow)) failures.push(`seed ${seed} ${JSON.stringify(opts)} item ${item}\n${lines.join('\n')}\n text: ${JSON.stringify(fast)}\n read: ${JSON.stringify(slow)}`);
      if (slow.error !== undefined) continue;
      requests.push({ json: `[${lines.join(',')}]`, opts, records: item ? { root: 'r', item: 'i' } : { root: 'r' } });
      ours.push(fast.xml);
    }
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
    expect(fromText(spy)).toBeGreaterThan(cases.length / 2); // and enough lines were written from their text
    const verdicts = unparsed(requests);
    let compared = 0;
    verdicts.forEach((theirs, i) => {
      if (!(theirs.ok && theirs.wellFormed && !theirs.repr)) return;
      compared++;
      if (theirs.xml !== ours[i]) failures.push(`seed ${seed} ${JSON.stringify(requests[i])}\nxmltodict: ${theirs.xml}\n    cosax: ${ours[i]}`);
    });
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
    expect(compared).toBeGreaterThan(requests.length / 2);
  }, 120_000);
});
