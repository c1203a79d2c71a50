import { describe, expect, it } from 'vitest';
import { close, send } from '../../src/coroutine.js';
import type { Json } from '../../src/stages/build.js';
import { where, whereField } from '../../src/stages/where.js';
import { collect } from '../helpers/collect.js';

describe('whereField (the course\'s filter_on_field)', () => {
  it('passes on only the records whose field equals the value, in order', () => {
    const out: Json[] = [];
    const log: string[] = [];
    const filter = whereField('route', '22', collect(out, log));
    for (const record of [{ route: '22', id: '1' }, { route: '147', id: '2' }, { id: '3' }, { route: '22', id: '4' }, 'text', null]) send(filter, record);
    expect(out).toEqual([{ route: '22', id: '1' }, { route: '22', id: '4' }]);
    close(filter);
    expect(log).toEqual(['collect closed']); // closing travels on to its target
  });

  it('compares own fields only: "constructor" is not inherited', () => {
    const out: Json[] = [];
    const filter = whereField('constructor', 'x', collect(out));
    send(filter, {});
    send(filter, { constructor: 'x' });
    expect(out).toEqual([{ constructor: 'x' }]);
  });
});

describe('where', () => {
  it('passes on the records the test accepts', () => {
    const out: Json[] = [];
    const filter = where((record) => typeof record === 'string' && record.startsWith('b'), collect(out));
    for (const record of ['apple', 'bus', 'tram', 'boat']) send(filter, record);
    expect(out).toEqual(['bus', 'boat']);
  });
});
