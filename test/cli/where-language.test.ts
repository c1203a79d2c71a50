// The --where language and field paths, in-process: the corners a spawned run would be slow to reach.
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/stages/build.js';
import { FieldSyntaxError, fieldPath, parseWhere, valueAt } from '../../src/where.js';

const record: Json = JSON.parse('{"@id":"7","route":{"@dir":"N","#text":"22"},"stop":[{"name":"A"},{"name":"B","@id":"2"}],"empty":null,"n":"a=b"}');

describe('parseWhere', () => {
  it('splits at the first operator: the rest is the VALUE or the REGEX, operators and all', () => {
    expect(parseWhere('n=a=b')(record)).toBe(true);
    expect(parseWhere('n~^a=b$')(record)).toBe(true);
    expect(parseWhere('n!=a!=b')(record)).toBe(true);
  });

  it('follows a path through a repeated element: any item may hold', () => {
    expect(parseWhere('stop.name=B')(record)).toBe(true);
    expect(parseWhere('stop.@id=2')(record)).toBe(true);
    expect(parseWhere('stop.name!=A')(record)).toBe(false);
    expect(parseWhere('stop.name~^[AB]$')(record)).toBe(true);
  });

  it('an element with attributes is its text; an empty element is "" and exists', () => {
    expect(parseWhere('route=22')(record)).toBe(true);
    expect(parseWhere('route.@dir=N')(record)).toBe(true);
    expect(parseWhere('empty')(record)).toBe(true);
    expect(parseWhere('empty=')(record)).toBe(true);
    expect(parseWhere('missing!=x')(record)).toBe(true);
    expect(parseWhere('missing=')(record)).toBe(false);
  });

  it('reads own fields only: a document cannot reach the prototype', () => {
    expect(parseWhere('constructor')(record)).toBe(false);
    expect(parseWhere('__proto__')(record)).toBe(false);
    expect(parseWhere('n.length')(record)).toBe(false);
  });

  it('says what is wrong with an expression', () => {
    expect(() => parseWhere('')).toThrow(new FieldSyntaxError('--where "": the field is empty; expected FIELD, FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX'));
    expect(() => parseWhere('~x')).toThrow('--where "~x": no FIELD before "~"');
    expect(() => parseWhere('a.=1')).toThrow('"a." has an empty step');
    expect(() => parseWhere('@=1')).toThrow('"@" has an empty step');
  });
});

describe('fieldPath and valueAt (--fields)', () => {
  it('one value, an array of what a path through repeats reaches, or nothing', () => {
    expect(valueAt(record, fieldPath('@id'))).toBe('7');
    expect(valueAt(record, fieldPath('route'))).toEqual({ '@dir': 'N', '#text': '22' });
    expect(valueAt(record, fieldPath('stop.name'))).toEqual(['A', 'B']);
    expect(valueAt(record, fieldPath('stop.@id'))).toEqual(['2']);
    expect(valueAt(record, fieldPath('stop'))).toEqual([{ name: 'A' }, { name: 'B', '@id': '2' }]);
    expect(valueAt(record, fieldPath('nothing.here'))).toBeUndefined();
  });
});
