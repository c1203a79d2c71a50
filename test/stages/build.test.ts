import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { send, close } from '../../src/coroutine.js';
import type { XmlEvent } from '../../src/events.js';
import { recordSelector } from '../../src/query.js';
import { type Json, buildElements, coerceScalar, coerceValues, pyStrip } from '../../src/stages/build.js';
import { collect } from '../helpers/collect.js';

const start = (name: string, attrs: Record<string, string> = {}): XmlEvent => ({ type: 'start', name, attrs });
const text = (value: string): XmlEvent => ({ type: 'text', text: value });
const end = (name: string): XmlEvent => ({ type: 'end', name });
const leaf = (name: string, value: string): XmlEvent[] => [start(name), text(value), end(name)];

function build(events: XmlEvent[], element?: string, options = {}): Json[] {
  const out: Json[] = [];
  const builder = buildElements(element === undefined ? undefined : recordSelector(element), options, collect(out));
  for (const event of events) send(builder, event);
  close(builder);
  return out;
}

// Hand-written events of a feed like the course's: white space between elements, text in pieces.
const feed: XmlEvent[] = [
  start('buses'), text('\n\t'),
  start('bus'), text('\n\t\t'), ...leaf('id', '7574'), text('\n\t\t'), ...leaf('route', '147'), text('\n\t\t'),
  start('finalStop'), text('Paulina '), text('& Howard'), end('finalStop'), text('\n\t'), end('bus'), text('\n\t'),
  start('bus'), ...leaf('id', '6842'), ...leaf('route', '22'), end('bus'),
  end('buses'),
];

describe('buildElements, record mode (the course\'s buses_to_dicts)', () => {
  it('turns each <bus> into {child: text}, joining text pieces at the end tag', () => {
    expect(build(feed, 'bus')).toEqual([
      { id: '7574', route: '147', finalStop: 'Paulina & Howard' },
      { id: '6842', route: '22' },
    ]);
  });

  it('sends each record as soon as its end tag arrives', () => {
    const out: Json[] = [];
    const builder = buildElements(recordSelector('bus'), {}, collect(out));
    const firstBusEnds = feed.findIndex((e) => e.type === 'end' && e.name === 'bus');
    for (const event of feed.slice(0, firstBusEnds)) send(builder, event);
    expect(out).toHaveLength(0);
    send(builder, feed[firstBusEnds]!);
    expect(out).toHaveLength(1);
  });

  it('keeps the fields of an event, never the event: the tokenizer may send one object again and again', () => {
    const out: Json[] = [];
    const builder = buildElements(recordSelector('bus'), {}, collect(out));
    const reused = { type: 'start', name: '', attrs: {}, text: '' } as { type: string; name: string; attrs: Record<string, string>; text: string };
    for (const event of feed) {
      Object.assign(reused, event); // the same object, its fields changed for each event
      send(builder, reused as unknown as XmlEvent);
    }
    close(builder);
    expect(out).toEqual(build(feed, 'bus'));
  });

  it('selects by absolute path, and only the outermost match by name', () => {
    const doc = [start('r'), start('a'), start('x'), ...leaf('x', 'inner'), end('x'), end('a'), start('x'), ...leaf('y', '1'), end('x'), end('r')];
    expect(build(doc, 'x')).toEqual([{ x: 'inner' }, { y: '1' }]);
    expect(build(doc, '/r/x')).toEqual([{ y: '1' }]);
    expect(build(doc, '/r/a/x')).toEqual([{ x: 'inner' }]);
    expect(build(doc, '/x')).toEqual([]);
  });
});

describe('buildElements, whole document (xmltodict\'s convention)', () => {
  it('attributes with @, then children, then #text', () => {
    const doc = [start('a', { x: '1' }), text(' t '), ...leaf('b', 'B'), end('a')];
    expect(build(doc)).toEqual([{ a: { '@x': '1', b: 'B', '#text': 't' } }]);
    expect(Object.keys((build(doc)[0] as { a: object }).a)).toEqual(['@x', 'b', '#text']);
  });

  it('repeated children become an array in document order, adjacent or not', () => {
    const doc = [start('r'), ...leaf('a', '1'), ...leaf('b', '2'), ...leaf('a', '3'), end('r')];
    expect(build(doc)).toEqual([{ r: { a: ['1', '3'], b: '2' } }]);
  });

  it('an empty or white-space-only element is null', () => {
    expect(build([start('r'), start('e'), end('e'), ...leaf('w', ' \n\t '), end('r')])).toEqual([{ r: { e: null, w: null } }]);
  });

  it('mixed content: direct text joined across children, then stripped once', () => {
    const doc = [start('p'), text('Hello '), ...leaf('b', 'world'), text(' again'), end('p')];
    expect(build(doc)).toEqual([{ p: { b: 'world', '#text': 'Hello  again' } }]);
  });

  it('forceList makes a single child an array', () => {
    expect(build([start('r'), ...leaf('a', '1'), end('r')], undefined, { forceList: new Set(['a']) })).toEqual([{ r: { a: ['1'] } }]);
  });

  it('element and attribute names that are prototype keys stay ordinary keys', () => {
    const doc = [start('__proto__', { constructor: 'c' }), ...leaf('toString', 't'), ...leaf('__proto__', 'p'), end('__proto__')];
    const [value] = build(doc) as [Record<string, unknown>];
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"@constructor":"c","toString":"t","__proto__":"p"}}');
  });
});

describe('pyStrip', () => {
  it('strips what Python\'s str.strip() strips, not what trim() strips', () => {
    expect(pyStrip('\u0085 a \u3000')).toBe('a'); // U+0085 is Python white space, not JS
    expect(pyStrip('\uFEFFa\uFEFF')).toBe('\uFEFFa\uFEFF'); // U+FEFF is JS white space, not Python
    expect(pyStrip('\u200Ba')).toBe('\u200Ba'); // neither
    expect(pyStrip(' \t\r\n')).toBe('');
  });

  it('strips exactly the code points that Python strips (asked of /usr/bin/python3)', () => {
    const python = spawnSync('/usr/bin/python3', ['-c', 'import json; print(json.dumps([c for c in range(0x110000) if not chr(c).strip()]))'], { encoding: 'utf8' });
    const stripped: number[] = [];
    for (let c = 0; c < 0x110000; c++) if (c < 0xd800 || c > 0xdfff) if (pyStrip(String.fromCodePoint(c)) === '') stripped.push(c);
    expect(stripped).toEqual((JSON.parse(python.stdout) as number[]).filter((c) => c < 0xd800 || c > 0xdfff));
  });
});

describe('buildElements options', () => {
  it('stripNamespaces: local names for elements and attributes, xmlns attributes dropped, records by local name', () => {
    const doc = [start('s:Envelope', { 'xmlns:s': 'urn:s', xmlns: 'urn:d' }), start('s:Body'), start('m:Quote', { 'm:id': '1', 'xml:lang': 'en' }), ...leaf('m:Price', '3'), end('m:Quote'), end('s:Body'), end('s:Envelope')];
    expect(build(doc, undefined, { stripNamespaces: true })).toEqual([{ Envelope: { Body: { Quote: { '@id': '1', '@lang': 'en', Price: '3' } } } }]);
    expect(build(doc, 'Quote', { stripNamespaces: true })).toEqual([{ '@id': '1', '@lang': 'en', Price: '3' }]);
    expect(build(doc, '/Envelope/Body/Quote/Price', { stripNamespaces: true })).toEqual(['3']);
  });

  it('attrPrefix and textKey rename keys; a text key equal to a child name makes an array, as xmltodict does', () => {
    const doc = [start('a', { x: '1' }), ...leaf('value', 'child'), text('t'), end('a')];
    expect(build(doc, undefined, { attrPrefix: '', textKey: 'value' })).toEqual([{ a: { x: '1', value: ['child', 't'] } }]);
  });

  it('coerce converts text and attribute values, not names', () => {
    const doc = [start('r', { n: '2' }), ...leaf('true', 'false'), ...leaf('x', '1.25'), ...leaf('x', '007'), end('r')];
    expect(build(doc, undefined, { coerce: true })).toEqual([{ r: { '@n': 2, true: false, x: [1.25, '007'] } }]);
  });

  it('coerceValues does the same to each record it passes on', () => {
    const out: Json[] = [];
    const builder = buildElements(undefined, {}, coerceValues(collect(out)));
    for (const event of [start('r', { n: '2' }), ...leaf('true', 'false'), ...leaf('x', '1.25'), ...leaf('x', '007'), ...leaf('__proto__', '3'), end('r')]) send(builder, event);
    close(builder);
    expect(JSON.stringify(out)).toBe('[{"r":{"@n":2,"true":false,"x":[1.25,"007"],"__proto__":3}}]');
  });
});

describe('depth', () => {
  it('the builder and coerceValues take a record 100,000 elements deep without the stack', () => {
    const depth = 100_000;
    const events: XmlEvent[] = [];
    for (let i = 0; i < depth; i++) events.push(start('a'), ...leaf('n', String(i)));
    for (let i = 0; i < depth; i++) events.push(end('a'));
    const out: Json[] = [];
    const builder = buildElements(recordSelector('a'), {}, coerceValues(collect(out)));
    for (const event of events) send(builder, event);
    close(builder);
    expect(out).toHaveLength(1);
    let level = out[0] as { n: Json; a?: Json };
    for (let i = 0; i < depth - 1; i++) {
      expect(level.n).toBe(i);
      level = level.a as { n: Json; a?: Json };
    }
    expect(level).toEqual({ n: depth - 1 });
  });
});

describe('coerceScalar', () => {
  it.each([
    ['0', 0], ['42', 42], ['-7', -7], ['3.5', 3.5], ['-0.25', -0.25], ['9007199254740991', 9007199254740991], ['true', true], ['false', false],
    ['007', '007'], ['+1', '+1'], ['1.50', '1.50'], ['1e3', '1e3'], ['.5', '.5'], ['5.', '5.'], ['-0', '-0'], ['0x1F', '0x1F'],
    ['9007199254740992', '9007199254740992'], ['12345678901234567890', '12345678901234567890'], ['NaN', 'NaN'], ['Infinity', 'Infinity'],
    ['True', 'True'], ['1 ', '1 '], ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(coerceScalar(input)).toBe(expected);
  });
});
