// query.ts in-process: the where-language, field paths, the record selector — the corners a spawned run would be slow to reach.
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError, fieldPath, parseWhere, recordSelector, valueAt, whereTest } from '../src/query.js';
import type { Json } from '../src/stages/build.js';

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
    expect(() => parseWhere('')).toThrow(new QuerySyntaxError('"": the field is empty; expected FIELD, FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX'));
    expect(() => parseWhere('~x')).toThrow('"~x": no FIELD before "~"');
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

describe('the #text step (--fields guid.#text, -w guid.#text=3)', () => {
  // xmltodict: <guid isPermaLink="false">id-1</guid> → {"@isPermaLink": "false", "#text": "id-1"}; <guid>3</guid> → "3"
  const items: Json[] = [{ guid: { '@isPermaLink': 'false', '#text': 'id-1' } }, { guid: '3' }, { guid: null }, '7'];

  it('is the text of an element in both shapes, and nothing for an empty one', () => {
    expect(items.map((item) => valueAt(item, fieldPath('guid.#text')))).toEqual(['id-1', '3', undefined, undefined]);
    expect(valueAt('7', fieldPath('#text'))).toBe('7'); // a record that is only text
    expect(valueAt({ g: 'x' }, fieldPath('g.v', { textKey: 'v' }), 'v')).toBe('x');
  });

  it('compares the same way in a where', () => {
    expect(items.map(parseWhere('guid.#text=3'))).toEqual([false, true, false, false]);
    expect(items.map(parseWhere('guid.#text'))).toEqual([true, true, false, false]);
  });
});

describe('whereTest (the library\'s where object)', () => {
  it('a RegExp value is ~, searched; /g does not make it remember from one record to the next', () => {
    const test = whereTest({ name: /a/g });
    expect([{ name: 'a' }, { name: 'a' }, { name: 'b' }].map(test)).toEqual([true, true, false]);
  });

  it('refuses a key that is not a field, or a value that is not a string, number, boolean or RegExp', () => {
    expect(() => whereTest({ 'Amt>': '5' })).toThrow(QuerySyntaxError);
    expect(() => whereTest({ a: null as never })).toThrow(QuerySyntaxError);
    expect(() => whereTest({ a: {} as never })).toThrow(QuerySyntaxError);
  });
});

describe('recordSelector', () => {
  const starts = (element: string | string[], name: string, path: string[]) => recordSelector(element).starts(name, path);

  it('a name matches at any depth; an absolute path only there; several are any of them', () => {
    expect(starts('item', 'item', ['rss', 'channel'])).toBe(true);
    expect(starts('/rss/channel/item', 'item', ['rss', 'channel'])).toBe(true);
    expect(starts('/rss/channel/item', 'item', ['rss'])).toBe(false);
    expect(starts('/rss/channel/item', 'item', ['feed', 'channel'])).toBe(false);
    expect(['node', 'way', 'tag'].map((name) => starts(['node', '/osm/way'], name, ['osm']))).toEqual([true, true, false]);
  });

  it.each(['', '*', '/osm/*', 'node,way', 'channel/item', '/a//b', '/', 'a b', '1x'])('refuses %j, saying what it takes', (element) => {
    expect(() => recordSelector(element)).toThrow(QuerySyntaxError);
    expect(() => recordSelector(element)).toThrow(/expected a NAME or an absolute \/path\/to\/NAME/);
  });

  it('takes any XML name: prefixes, dashes, dots, non-ASCII', () => {
    for (const name of ['soap:Body', 'x-y', 'a.b', 'été', '_x']) expect(starts(name, name, [])).toBe(true);
  });
});
