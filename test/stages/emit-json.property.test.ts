// The JSON emitters write JSON.stringify's bytes, for any record: JSON.stringify is the oracle, also for
// values too deep for it on this thread's stack (it runs in a worker with a larger one).
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { emitJsonArray, emitJsonLines, jsonText } from '../../src/stages/emit-json.js';
import { emitted } from '../helpers/collect.js';

// Code units of every kind: lone surrogates, controls, quotes, the line separators JSON leaves raw.
const unit = fc.oneof(
  fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', '\ud800', '\udfff', '\ud83d\ude00', '/', '<', 'é'),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('a', 'b', ' ', '1'),
);
const text = fc.string({ unit, maxLength: 12 });
const key = fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'toJSON', '', '0', '10', '01', '-1', '1e3', '@id', '#text'));
const scalar = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
// Records as the builder makes them, and what a user's stage might send: undefined and functions too.
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map(objectOf),
  ),
}));
const indent = fc.constantFrom(undefined, 0, 1, 2, 4, 10, 12);

/** An object with these keys as own properties, `__proto__` included, in this order. */
function objectOf(members: Array<[string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, member] of members) Object.defineProperty(object, name, { value: member, enumerable: true, writable: true, configurable: true });
  return object;
}

/** JSON.stringify(deep(depth), null, indentBy), or of [first, deep(depth)], in a thread with a larger stack. */
function stringifiedWithLargeStack(depth: number, indentBy?: number, first?: string): Promise<string> {
  const code = `const { parentPort, workerData: { make, depth, indentBy, first } } = require('node:worker_threads');
    const value = eval('(' + make + ')')(depth);
    parentPort.postMessage(JSON.stringify(first === undefined ? value : [first, value], null, indentBy));`;
  const worker = new Worker(code, { eval: true, workerData: { make: deep.toString(), depth, indentBy, first }, resourceLimits: { stackSizeMb: 64 } });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: string) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Objects and arrays nested `depth` deep, with a sibling at each level. */
function deep(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value, b: '\u2028' } : [value, null];
  return value;
}

describe('jsonText', () => {
  it('is JSON.stringify(value, null, indent), byte for byte', () => {
    fc.assert(
      fc.property(value, indent, (any, by) => {
        expect(jsonText(any, by)).toBe(JSON.stringify(any, null, by));
      }),
      { numRuns: 3000 },
    );
  });

  it('follows JSON.stringify where a value is not plain: toJSON with its key, boxed values, Dates, Maps, holes', () => {
    const odd = [
      { t: { toJSON: (name: string) => `key:${name}` }, list: [{ toJSON: (name: string) => `at:${name}` }] },
      { gone: { toJSON: () => undefined }, kept: 1, list: [{ toJSON: () => undefined }] },
      { date: new Date(0), number: new Number(3), string: new String('s'), boolean: new Boolean(false), map: new Map([[1, 2]]) },
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3, Symbol('s'), NaN, -0, Infinity, 1e21, 5e-7],
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
      Object.assign(Object.create(null) as object, { bare: [{}, []] }),
      { 2: 'b', 1: 'a', z: 'z', 10: 'c' },
    ];
    for (const each of odd) for (const by of [undefined, 2]) expect(jsonText(each, by)).toBe(JSON.stringify(each, null, by));
    expect(jsonText(undefined)).toBeUndefined();
    expect(jsonText(() => 1)).toBeUndefined();
  });

  it("throws JSON.stringify's own errors: a BigInt, a value that contains itself (even far down)", () => {
    expect(() => jsonText({ n: 1n })).toThrow(new TypeError('Do not know how to serialize a BigInt'));
    const cycle: Record<string, unknown> = { a: [] };
    (cycle['a'] as unknown[]).push(cycle);
    expect(() => jsonText(cycle)).toThrow(TypeError);
    const top: Record<string, unknown> = {};
    let far = top;
    for (let i = 0; i < 200; i++) far = far['x'] = {};
    far['x'] = top;
    expect(() => jsonText(top)).toThrow(/circular/);
  });

  it('hands a large value to flush in pieces, in order, and returns the rest', () => {
    const big = Array.from({ length: 5000 }, (_, i) => ({ id: String(i), name: `bus ${i}` }));
    const pieces: string[] = [];
    const rest = jsonText(big, 2, (piece) => pieces.push(piece));
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('') + rest).toBe(JSON.stringify(big, null, 2));
  });
});

describe('emitJsonLines and emitJsonArray', () => {
  it('write what JSON.stringify writes, a value a line, or as one array', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), indent, (records, by) => {
        expect(emitted((w) => emitJsonLines(w, by), records)).toBe(records.map((record) => JSON.stringify(record, null, by) + '\n').join(''));
        const array = emitted((w) => emitJsonArray(w, by), records);
        if (by === undefined || by === 0) expect(array).toBe(records.length === 0 ? '[]\n' : `[\n${records.map((record) => JSON.stringify(record) ?? 'null').join(',\n')}\n]\n`);
        else expect(array).toBe(JSON.stringify(records, null, by) + '\n');
      }),
      { numRuns: 1500 },
    );
  });

  it('write a value 20,000 levels deep, which JSON.stringify cannot on this stack', async () => {
    const value = deep(20_000);
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    const oracle = await stringifiedWithLargeStack(20_000);
    expect(emitted((w) => emitJsonLines(w), [value])).toBe(oracle + '\n');
    expect(emitted((w) => emitJsonArray(w), [value, 'next'])).toBe(`[\n${oracle},\n"next"\n]\n`);
  });

  it('indent a value deeper than JSON.stringify can go on this stack as JSON.stringify indents it, inside an array', async () => {
    const value = deep(4500);
    expect(() => JSON.stringify(value, null, 1)).toThrow(RangeError);
    expect(emitted((w) => emitJsonArray(w, 1), ['first', value])).toBe((await stringifiedWithLargeStack(4500, 1, 'first')) + '\n');
  });
});
