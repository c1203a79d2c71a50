import { describe, expect, it } from 'vitest';
import { close, send } from '../../src/coroutine.js';
import { asObject } from '../../src/stages/as-object.js';
import type { Json } from '../../src/stages/build.js';
import { collect } from '../helpers/collect.js';

function through(textKey: string, records: Json[], log: string[] = []): Json[] {
  const out: Json[] = [];
  const stage = asObject(textKey, collect(out, log));
  for (const record of records) send(stage, record);
  close(stage);
  return out;
}

describe('asObject', () => {
  it('makes a record that is only text an object with the text under the text key; an empty one {}', () => {
    expect(through('#text', ['8747', null])).toEqual([{ '#text': '8747' }, {}]);
  });

  it('passes an object record on as it is, the same object', () => {
    const record = { '@a': '1', '#text': '2' };
    expect(through('#text', [record])[0]).toBe(record);
  });

  it('keeps a text key named __proto__ an own field, the prototype untouched', () => {
    const [object] = through('__proto__', ['x']) as [Record<string, Json>];
    expect(Object.hasOwn(object, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(JSON.stringify(object)).toBe('{"__proto__":"x"}');
  });

  it('closes its target when it is closed', () => {
    const log: string[] = [];
    through('#text', [], log);
    expect(log).toEqual(['collect closed']);
  });
});
