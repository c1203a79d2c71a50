// emitCsv judged by csv-parse (a CSV reader we did not write): what it reads back is what was sent.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { close, send } from '../../src/coroutine.js';
import { CsvColumnsError, emitCsv } from '../../src/stages/emit-csv.js';

function csvOf(fields: string[] | undefined, records: unknown[]): string {
  let text = '';
  const emitter = emitCsv(fields, (chunk) => (text += chunk));
  for (const record of records) send(emitter, record as never);
  close(emitter);
  return text;
}

describe('emitCsv, read back by csv-parse', () => {
  it('gives back every cell as it was: commas, quotes, CR, LF, CRLF, spaces, unicode, empty', () => {
    const cells = ['plain', 'a,b', 'say "hi"', '"', 'two\nlines', 'cr\rhere', 'crlf\r\nthere', '  spaced  ', 'é€😀', '', ',', '""'];
    const records = cells.map((value, i) => ({ id: String(i), value }));
    const rows = parse(csvOf(undefined, records), { relax_quotes: false }) as string[][];
    expect(rows).toEqual([['id', 'value'], ...records.map(({ id, value }) => [id, value])]);
  });

  it('writes objects and arrays as JSON, null and missing as empty', () => {
    const rows = parse(csvOf(['a', 'b', 'c'], [{ a: { x: 'q"' }, b: ['1', '2'], c: null }, {}])) as string[][];
    expect(rows).toEqual([['a', 'b', 'c'], ['{"x":"q\\""}', '["1","2"]', ''], ['', '', '']]);
  });

  it('quotes a header that needs it', () => {
    expect(parse(csvOf(['a,b', 'c'], [{ 'a,b': '1', c: '2' }]))).toEqual([['a,b', 'c'], ['1', '2']]);
  });
});

describe('emitCsv columns: nothing dropped in silence', () => {
  it('a field the first record did not have is an error naming it and the record, after the rows before it', () => {
    let text = '';
    const emitter = emitCsv(undefined, (chunk) => (text += chunk));
    send(emitter, { a: '1' });
    send(emitter, { a: '2' });
    let caught: unknown;
    try {
      send(emitter, { a: '3', b: 'new' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvColumnsError);
    expect(caught).toMatchObject({ field: 'b', record: 3, columns: ['a'] });
    expect(text).toBe('a\n1\n2\n');
  });

  it('a missing field is an empty cell, and with fields given the others are left out as asked', () => {
    expect(csvOf(undefined, [{ a: '1', b: '2' }, { b: '3' }])).toBe('a,b\n1,2\n,3\n');
    expect(csvOf(['a'], [{ a: '1', b: '2' }])).toBe('a\n1\n');
  });
});
