import { describe, expect, it } from 'vitest';
import { close, send } from '../../src/coroutine.js';
import { emitCsv } from '../../src/stages/emit-csv.js';
import { emitJsonArray, emitJsonLines } from '../../src/stages/emit-json.js';
import { emitted } from '../helpers/collect.js';

describe('emitJsonLines', () => {
  it('writes one JSON value a line', () => {
    expect(emitted((w) => emitJsonLines(w), [{ a: '1' }, 'x', null])).toBe('{"a":"1"}\n"x"\nnull\n');
  });
});

describe('emitJsonArray', () => {
  it('writes the closing ] only when the chain is closed', () => {
    let text = '';
    const emitter = emitJsonArray((chunk) => (text += chunk));
    send(emitter, { a: '1' });
    send(emitter, { b: '2' });
    expect(text).toBe('[\n{"a":"1"},\n{"b":"2"}');
    close(emitter);
    expect(text).toBe('[\n{"a":"1"},\n{"b":"2"}\n]\n');
    expect(JSON.parse(text)).toEqual([{ a: '1' }, { b: '2' }]);
  });

  it('writes [] for no records, and indents when asked', () => {
    expect(emitted((w) => emitJsonArray(w), [])).toBe('[]\n');
    const pretty = emitted((w) => emitJsonArray(w, 2), [{ a: '1' }]);
    expect(pretty).toBe('[\n  {\n    "a": "1"\n  }\n]\n');
  });
});

describe('emitCsv', () => {
  it('writes the header, then RFC 4180 rows: quotes around commas, quotes and newlines', () => {
    const records = [{ id: '1', stop: 'Paulina & Howard, "Terminal"' }, { id: '2', stop: 'two\nlines' }];
    expect(emitted((w) => emitCsv(['id', 'stop'], w), records)).toBe('id,stop\n1,"Paulina & Howard, ""Terminal"""\n2,"two\nlines"\n');
  });

  it('takes the first record\'s keys without fields; missing and null cells are empty; objects are JSON', () => {
    const records = [{ a: '1', b: null }, { b: { c: 'x' } }];
    expect(emitted((w) => emitCsv(undefined, w), records)).toBe('a,b\n1,\n,"{""c"":""x""}"\n');
  });

  it('writes a cell too deep for JSON.stringify as its JSON all the same', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const json = '{"a":'.repeat(20_000) + '"x"' + '}'.repeat(20_000);
    expect(emitted((w) => emitCsv(['deep'], w), [{ deep }])).toBe(`deep\n"${json.replaceAll('"', '""')}"\n`);
  });

  it('writes the header even when no record matches', () => {
    expect(emitted((w) => emitCsv(['route', 'id'], w), [])).toBe('route,id\n');
  });
});
