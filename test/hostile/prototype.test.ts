// XML names are data: __proto__, constructor, prototype and hasOwnProperty are keys like any other.
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { convert } from './convert.js';

const HOSTILE = '<r __proto__="a" constructor="b"><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor><prototype/></r>';

afterEach(() => {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

describe('names that are also prototype keys', () => {
  it('become own keys in the library, and no prototype changes', () => {
    const { out } = convert(HOSTILE);
    expect(out).toBe('{"r":{"@__proto__":"a","@constructor":"b","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":null}}\n');
    expect(Object.keys(JSON.parse(out).r)).toEqual(['@__proto__', '@constructor', '__proto__', 'constructor', 'prototype']);
  });

  it('become own keys as records and as CSV columns', () => {
    expect(convert(HOSTILE, { element: '__proto__', format: 'ndjson' }).out).toBe('{"polluted":"yes"}\n');
    expect(convert('<r><x __proto__="1" constructor="2"/></r>', { element: 'x', format: 'csv' }).out).toBe('@__proto__,@constructor\n1,2\n');
  });

  it('become own keys through the CLI', async () => {
    expect(await runBin(['-e', 'r', '-f', 'ndjson'], HOSTILE)).toEqual({ code: 0, stderr: '', stdout: '{"@__proto__":"a","@constructor":"b","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":null}\n' });
    expect(await runBin(['-e', 'x', '-f', 'csv', '--fields', '__proto__,constructor', '-w', 'constructor=2'], '<r><x><__proto__>1</__proto__><constructor>2</constructor></x></r>')).toEqual({ code: 0, stderr: '', stdout: '__proto__,constructor\n1,2\n' });
  });

  it('an attribute named hasOwnProperty, then another, converts (sax alone crashes on it)', () => {
    expect(convert('<a hasOwnProperty="1" b="2" toString="3"/>').out).toBe('{"a":{"@hasOwnProperty":"1","@b":"2","@toString":"3"}}\n');
  });

  it('a repeated attribute is an error at its second name (sax alone drops the second silently)', () => {
    expect(convert('<a x="1"\n  x="2"/>').error).toMatchObject({ code: 'XML_SYNTAX', message: '2:3: attribute "x" appears twice in a start tag' });
    expect(convert('<a __proto__="1" __proto__="2"/>').error?.reason).toBe('attribute "__proto__" appears twice in a start tag');
  });
});
