import { describe, expect, it } from 'vitest';
import { XmlSyntaxError } from '../../src/errors.js';
import { xmlEvents } from '../helpers/collect.js';

describe('the sax adapter', () => {
  it('sends start, text and end, in document order', () => {
    expect(xmlEvents('<a x="1"><b>hi</b></a>')).toEqual([
      { type: 'start', name: 'a', attrs: { x: '1' } },
      { type: 'start', name: 'b', attrs: {} },
      { type: 'text', text: 'hi' },
      { type: 'end', name: 'b' },
      { type: 'end', name: 'a' },
    ]);
  });

  it('sends CDATA as text, between the text around it', () => {
    const texts = xmlEvents('<a>x<![CDATA[Paulina & <Howard>]]>y</a>').filter((e) => e.type === 'text');
    expect(texts.map((e) => (e.type === 'text' ? e.text : '')).join('')).toBe('xPaulina & <Howard>y');
  });

  it('a self-closing tag is a start and an end', () => {
    expect(xmlEvents('<a/>')).toEqual([
      { type: 'start', name: 'a', attrs: {} },
      { type: 'end', name: 'a' },
    ]);
  });

  it('keeps an attribute named __proto__ as an own attribute', () => {
    const [start] = xmlEvents('<a __proto__="x" constructor="y"/>');
    expect(start).toMatchObject({ type: 'start' });
    const attrs = (start as { attrs: Record<string, string> }).attrs;
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
  });

  it('expands the five predefined entities and character references', () => {
    const text = xmlEvents('<a>&lt;&gt;&amp;&quot;&apos;&#233;&#x1D11E;</a>')
      .map((e) => (e.type === 'text' ? e.text : ''))
      .join('');
    expect(text).toBe('<>&"\'é𝄞');
  });

  it.each([
    ['<a><b>x</c></a>', 1, 11, /Unexpected close tag/],
    ['<a>\n<b>\n&nbsp;</b></a>', 3, 6, /entity/i],
    ['<a/><b/>', 1, 8, /second root/],
    ['<a>', 1, 3, /Unclosed root/],
    ['', 1, 0, /no root element/],
  ])('rejects %j at line %i, column %i', (xml, line, column, reason) => {
    try {
      xmlEvents(xml);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(XmlSyntaxError);
      expect(error).toMatchObject({ line, column, code: 'XML_SYNTAX' });
      expect((error as XmlSyntaxError).reason).toMatch(reason);
    }
  });

  it('names the position of bytes invalid in the encoding', () => {
    const doc = Uint8Array.from([...Buffer.from('<a>\n  ok'), 0xff, ...Buffer.from('</a>')]);
    expect(() => xmlEvents(doc)).toThrow(XmlSyntaxError);
    try {
      xmlEvents(doc);
    } catch (error) {
      expect(error).toMatchObject({ code: 'XML_ENCODING', line: 2, column: 5 });
    }
  });
});
