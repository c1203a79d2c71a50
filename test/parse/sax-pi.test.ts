// sax 1.6 never ends a processing instruction ending in "??>"; the adapter puts sax back on its feet.
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/api.js';

describe('processing instructions ending in "??>" (a sax bug the adapter works around)', () => {
  it.each([
    ['<a><?pi x??>t</a>', { a: 't' }],
    ['<a><?pi a???b?>t<?pi ???>u</a>', { a: 'tu' }],
    // a '?' outside a PI is left alone: in text, attribute values, CDATA and comments
    ['<a u="x?y=1??">what??<![CDATA[??>]]><!-- ??> --></a>', { a: { '@u': 'x?y=1??', '#text': 'what????>' } }],
  ])('%j', (xml, json) => {
    expect(convert(xml)).toEqual(json);
    expect(convert(xml, { parser: 'saxes' })).toEqual(json); // saxes never had the bug: the same answer
  });
});
