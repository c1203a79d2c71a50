// Reading JSON: parseJson against V8's JSON.parse (same values, numbers kept as Python reads them),
// faults at their line and column, depth without recursion; then readJson, bytes in chunks: NDJSON
// or one document, told apart by the first line, every cut of the bytes giving the same values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ToXmlError } from '../../src/json/errors.js';
import { JsonNumber } from '../../src/json/number.js';
import { parseJson } from '../../src/json/parse.js';
import { type JsonFormat, readJson } from '../../src/json/read.js';
import { collect, splitAt } from '../helpers/collect.js';

/** Our value with each JsonNumber as the JS number its text reads as: what JSON.parse gives. */
function plain(value: unknown): unknown {
  if (value instanceof JsonNumber) return value.text === 'inf' ? Infinity : value.text === '-inf' ? -Infinity : Number(value.text);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Where parseJson says the fault is. */
function fault(text: string): { code: string; line: number | undefined; column: number | undefined } {
  try {
    parseJson(text);
  } catch (error) {
    const { code, line, column } = error as ToXmlError;
    return { code, line, column };
  }
  throw new Error(`no fault in ${text}`);
}

async function values(chunks: Array<string | Uint8Array>, format?: JsonFormat): Promise<unknown[]> {
  const out: unknown[] = [];
  await readJson(chunks, collect(out), { format, file: 'in.json' });
  return out;
}

async function readFault(chunks: Array<string | Uint8Array>, format?: JsonFormat): Promise<{ code: string; line: number | undefined; column: number | undefined; before: unknown[] }> {
  const before: unknown[] = [];
  try {
    await readJson(chunks, collect(before), { format, file: 'in.json' });
  } catch (error) {
    const { code, line, column } = error as ToXmlError;
    expect((error as ToXmlError).file).toBe('in.json');
    return { code, line, column, before };
  }
  throw new Error('no fault');
}

describe('parseJson', () => {
  it('reads what JSON.parse reads, the same values in the same key order, compact or indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(plain(parseJson(text))).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps what a number says to Python: 1.0 and 1e2 are floats, an integer keeps every digit', () => {
    const read = parseJson('[7, -0, 1.5, 1.0, 1e2, -0.0, 1E400, -1e400, 12345678901234567890, 9007199254740993, 9007199254740991, 2.5e-7]') as unknown[];
    expect(read.map((n) => (n instanceof JsonNumber ? `text ${n.text}` : n))).toEqual([7, -0, 1.5, 'text 1.0', 'text 100.0', 'text -0.0', 'text inf', 'text -inf', 'text 12345678901234567890', 'text 9007199254740993', 9007199254740991, 2.5e-7]);
  });

  it('__proto__ and constructor are own keys; a repeated key keeps its first place and its last value', () => {
    const read = parseJson('{"__proto__": {"x": 1}, "constructor": 2, "a": 1, "b": 2, "a": 3}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.keys(read)).toEqual(['__proto__', 'constructor', 'a', 'b']);
    expect(Object.getOwnPropertyDescriptor(read, '__proto__')?.value).toEqual({ x: 1 });
    expect(read['a']).toBe(3);
  });

  it('escapes, surrogate pairs and lone surrogates as JSON.parse reads them', () => {
    const text = String.raw`["\"\\\/\b\f\n\r\t", "\u00e9\ud834\udd1e", "\ud800", "é𝄞", "a\u0000b"]`;
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('100,000 levels of arrays and of objects, without overflowing the stack', () => {
    const depth = 100_000;
    let arrays = parseJson('['.repeat(depth) + '1' + ']'.repeat(depth));
    for (let i = 0; i < depth; i++) arrays = (arrays as unknown[])[0] as typeof arrays;
    expect(arrays).toBe(1);
    let objects = parseJson('{"a":'.repeat(depth) + 'null' + '}'.repeat(depth));
    for (let i = 0; i < depth; i++) objects = (objects as Record<string, typeof objects>)['a']!;
    expect(objects).toBe(null);
  });

  it.each<[string, number, number]>([
    ['', 1, 1],
    ['{"a": 1,}', 1, 9],
    ['[1, 2', 1, 6],
    ['{\n  "a": tru\n}', 2, 8],
    ['{\n  "a" 1}', 2, 7],
    ['{"a": 1} x', 1, 10],
    ['"a\tb"', 1, 3],
    ['"a\\xb"', 1, 3],
    ['"\\u12G4"', 1, 2],
    ['[01]', 1, 3],
    ['[1.]', 1, 4],
    ['[-]', 1, 3],
    ['[1e+]', 1, 5],
    ['{1: 2}', 1, 2],
    ['"unclosed', 1, 10],
    ['["é𝄞", x]', 1, 8], // columns count characters, not UTF-16 units
    ['[NaN]', 1, 2], // Python reads NaN; JSON has none
  ])('a fault in %j is at line %i, column %i', (text, line, column) => {
    expect(fault(text)).toEqual({ code: 'JSON_SYNTAX', line, column });
    expect(() => JSON.parse(text)).toThrow(SyntaxError); // and V8 agrees that it is a fault
  });
});

describe('readJson', () => {
  const ndjson = '{"a": 1}\n\n{"b": [1, 2]}\r\n  "x"  \n{"c": null}';
  const document = '{\n  "a": [\n    1,\n    2\n  ]\n}\n';

  it('NDJSON: a value a line; blank lines and CR LF are fine; the last line needs no line end', async () => {
    expect(await values([ndjson])).toEqual([{ a: 1 }, { b: [1, 2] }, 'x', { c: null }]);
    expect(await values([ndjson], 'ndjson')).toEqual([{ a: 1 }, { b: [1, 2] }, 'x', { c: null }]);
  });

  it('a document over several lines is one value; so is a single line; nothing is no value', async () => {
    expect(await values([document])).toEqual([{ a: [1, 2] }]);
    expect(await values(['\n\n' + document])).toEqual([{ a: [1, 2] }]);
    expect(await values(['{"a": 1}\n'])).toEqual([{ a: 1 }]);
    expect(await values(['', '\n \n'])).toEqual([]);
  });

  it('every cut of the bytes, inside characters too, gives the same values', async () => {
    const bytes = Buffer.from('\ufeff' + ndjson.replace('"x"', '"é𝄞€"'), 'utf8');
    const docBytes = Buffer.from(document.replace('1', '"𝄞"'), 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), async (cuts) => {
        expect(await values(splitAt(bytes, cuts.map((c) => c % (bytes.length + 1))))).toEqual([{ a: 1 }, { b: [1, 2] }, 'é𝄞€', { c: null }]);
        expect(await values(splitAt(docBytes, cuts.map((c) => c % (docBytes.length + 1))))).toEqual([{ a: ['𝄞', 2] }]);
      }),
      { numRuns: 300 },
    );
  });

  it('a document on one long line, cut into hundreds of chunks, reads whole', async () => {
    const items = Array.from({ length: 200_000 }, (_, i) => ({ id: String(i), name: 'x'.repeat(80) }));
    const text = JSON.stringify({ items });
    const chunks = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) => text.slice(i * 65_536, (i + 1) * 65_536));
    expect(chunks.length).toBeGreaterThan(300);
    expect(await values(chunks)).toStrictEqual([{ items }]);
  });

  it('a fault in NDJSON names its line, after every value before it', async () => {
    expect(await readFault(['{"a": 1}\n{"b": 2}\n', '{"c": }\n{"d": 4}\n'])).toEqual({ code: 'JSON_SYNTAX', line: 3, column: 7, before: [{ a: 1 }, { b: 2 }] });
  });

  it('a fault in a document is placed in the whole text, from its first line', async () => {
    expect(await readFault(['\n{\n  "a": [1,\n', '  2,]\n}'])).toMatchObject({ code: 'JSON_SYNTAX', line: 4, column: 5, before: [] });
    expect(await readFault(['{'])).toMatchObject({ code: 'JSON_SYNTAX', line: 1, column: 2 }); // the first line, unfinished, is also the last
  });

  it('-f json reads NDJSON as one document: the second value is the fault; -f ndjson reads a document line by line', async () => {
    expect(await readFault([ndjson], 'json')).toMatchObject({ line: 3, column: 1 });
    expect(await readFault([document], 'ndjson')).toMatchObject({ line: 1, column: 2 });
  });

  it('bytes that are not UTF-8 are a fault at their line and column; so is a character cut short at the end', async () => {
    expect(await readFault([Buffer.from('{"a": 1}\n{"b": "x'), Buffer.from([0xff]), Buffer.from('"}\n')])).toEqual({ code: 'JSON_ENCODING', line: 2, column: 9, before: [{ a: 1 }] });
    expect(await readFault([Buffer.from('"é'), Buffer.from([0xc3])])).toMatchObject({ code: 'JSON_ENCODING', line: 1, column: 3 });
    expect(await readFault([Buffer.from([0x5b, 0xed, 0xa0, 0x80, 0x5d])])).toMatchObject({ code: 'JSON_ENCODING', line: 1, column: 2 }); // a surrogate's encoding
  });

  it("a value the chain refuses is thrown with the value's line, the chain's path kept", async () => {
    const refuse = (): Generator<unknown, void, unknown> =>
      (function* () {
        for (;;) if ((yield) === 2) throw new ToXmlError('XML_VALUE', 'two', { path: '$.x' });
      })();
    const chain = refuse();
    chain.next();
    await expect(readJson(['1\n2\n'], chain, { file: 'f.ndjson' })).rejects.toMatchObject({ code: 'XML_VALUE', line: 2, path: '$.x', message: 'f.ndjson:2: $.x: two' });
  });
});
