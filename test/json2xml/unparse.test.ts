// toXml() by hand: each rule of xmltodict's unparse, with the XML unparse writes for it (checked
// against xmltodict 0.13 when written); the deliberate differences (README, "Back to XML"); the
// refusals, with their codes and JSON paths; and what must never overflow or be mistaken.
import { describe, expect, it } from 'vitest';
import { ToXmlError } from '../../src/json/errors.js';
import { JsonNumber } from '../../src/json/number.js';
import { toXml } from '../../src/to-xml.js';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** The ToXmlError that toXml throws for this value. */
function refusal(value: unknown, options = {}): { code: string; path: string | undefined } {
  try {
    toXml(value, options);
  } catch (error) {
    if (!(error instanceof ToXmlError)) throw error;
    return { code: error.code, path: error.path };
  }
  throw new Error('no error');
}

describe('toXml writes what xmltodict.unparse writes', () => {
  it.each<[string, unknown, string]>([
    ['text', { a: 'x' }, '<a>x</a>'],
    ['null: an empty element', { a: null }, '<a></a>'],
    ['an empty string too', { a: '' }, '<a></a>'],
    ['booleans as true and false', { a: { b: true, c: false } }, '<a><b>true</b><c>false</c></a>'],
  ])('%s', (_what, value, xml) => {
    expect(toXml(value)).toBe(DECLARATION + xml);
  });

  // What json.loads makes of JSON.stringify's text for the number: an int when it is written without a point.
  it('numbers as Python writes them: integers whole, other numbers as floats, inf beyond the range', () => {
    expect(toXml({ r: { n: [0, -0, -7, 2 ** 53 + 2, 1e20, 1.5, 0.1, 1e21, 1e22, 1e-5, 0.0001, -2.5e-300, Infinity] } }, { fullDocument: false })).toBe(
      '<r>' + ['0', '0', '-7', '9007199254740994', '100000000000000000000', '1.5', '0.1', '1e+21', '1e+22', '1e-05', '0.0001', '-2.5e-300', 'inf'].map((n) => `<n>${n}</n>`).join('') + '</r>',
    );
    expect(toXml({ r: { a: 12345678901234567890n, b: new JsonNumber('1.0') } }, { fullDocument: false })).toBe('<r><a>12345678901234567890</a><b>1.0</b></r>');
  });

  it('attributes first, in their order, then children, then the text — wherever the keys are', () => {
    expect(toXml({ a: { '#text': 't', b: '1', '@x': '1', c: '2', '@y': '2' } })).toBe(`${DECLARATION}<a x="1" y="2"><b>1</b><c>2</c>t</a>`);
  });

  it('a list is that many elements; an empty list none', () => {
    expect(toXml({ r: { b: ['x', null, {}, { c: 1 }], e: [] } })).toBe(`${DECLARATION}<r><b>x</b><b></b><b></b><b><c>1</c></b></r>`);
    expect(toXml({ r: { e: [] } })).toBe(`${DECLARATION}<r></r>`);
  });

  it('attribute values: numbers as Python writes them, booleans as True and False', () => {
    expect(toXml({ a: { '@n': 1.5, '@i': 7, '@t': true, '@f': false } })).toBe(`${DECLARATION}<a n="1.5" i="7" t="True" f="False"></a>`);
  });

  it('escapes &, < and > in text; quotes stay as they are', () => {
    expect(toXml({ a: `x & <y> "q" 'a' ]]>` })).toBe(`${DECLARATION}<a>x &amp; &lt;y&gt; "q" 'a' ]]&gt;</a>`);
  });

  it('in attributes, also tabs and line ends; single quotes around a value with a double quote, unless it has both', () => {
    expect(toXml({ a: { '@x': 'a&b<c>\t\n\r' } })).toBe(`${DECLARATION}<a x="a&amp;b&lt;c&gt;&#9;&#10;&#13;"></a>`);
    expect(toXml({ a: { '@x': 'say "hi"' } })).toBe(`${DECLARATION}<a x='say "hi"'></a>`);
    expect(toXml({ a: { '@x': `it's` } })).toBe(`${DECLARATION}<a x="it's"></a>`);
    expect(toXml({ a: { '@x': `it's "hi"` } })).toBe(`${DECLARATION}<a x="it's &quot;hi&quot;"></a>`);
  });

  it("'@xmlns': {prefix: uri} is namespace declarations; a key for the same attribute keeps the first place, the last value", () => {
    expect(toXml({ a: { '@xmlns': { '': 'urn:d', p: 'urn:p' } } })).toBe(`${DECLARATION}<a xmlns="urn:d" xmlns:p="urn:p"></a>`);
    expect(toXml({ a: { '@xmlns:p': 'first', '@xmlns': { p: 'last' } } })).toBe(`${DECLARATION}<a xmlns:p="last"></a>`);
  });

  it('pretty: an element a line, a tab a level; text after the children; no line end after the root', () => {
    const value = { a: { '@x': '1', b: { c: '1' }, e: ['x', null], f: [], '#text': 't' } };
    expect(toXml(value, { pretty: true })).toBe(`${DECLARATION}<a x="1">\n\t<b>\n\t\t<c>1</c>\n\t</b>\n\t<e>x</e>\n\t<e></e>\nt</a>`);
    expect(toXml(value, { pretty: true, indent: 2, newline: '\r\n' })).toBe(`${DECLARATION}<a x="1">\r\n  <b>\r\n    <c>1</c>\r\n  </b>\r\n  <e>x</e>\r\n  <e></e>\r\nt</a>`);
    expect(toXml({ r: { e: [] } }, { pretty: true })).toBe(`${DECLARATION}<r>\n</r>`); // a child key, so a line end, though it writes nothing
  });

  it('shortEmptyElements: <a/> where nothing is written inside', () => {
    expect(toXml({ r: { a: null, b: '', c: { '@x': '1' }, d: { e: [] }, f: { '#text': '' } } }, { shortEmptyElements: true })).toBe(`${DECLARATION}<r><a/><b/><c x="1"/><d/><f/></r>`);
  });

  it('fullDocument: false writes no declaration, and any number of roots, one after another', () => {
    expect(toXml({ a: 1, b: [2, 3] }, { fullDocument: false })).toBe('<a>1</a><b>2</b><b>3</b>');
    expect(toXml({ a: 1, b: 2 }, { fullDocument: false, pretty: true })).toBe('<a>1</a><b>2</b>');
    expect(toXml({}, { fullDocument: false })).toBe('');
  });

  it('attrPrefix and textKey: other keys for the same rules; with no prefix, every key is an attribute', () => {
    expect(toXml({ a: { _x: '1', value: 't', b: '2' } }, { attrPrefix: '_', textKey: 'value' })).toBe(`${DECLARATION}<a x="1"><b>2</b>t</a>`);
    expect(toXml({ a: { x: '1', y: 2, '#text': 't' } }, { attrPrefix: '' })).toBe(`${DECLARATION}<a x="1" y="2">t</a>`);
  });

  it('#text that is null, empty or an empty list writes nothing', () => {
    expect(toXml({ r: { a: { '#text': null }, b: { '#text': [] }, c: { '#text': {} } } })).toBe(`${DECLARATION}<r><a></a><b></b><c></c></r>`);
  });

  it('with a root, the value is the records: as the item, or under their own keys', () => {
    expect(toXml([{ id: '1' }, { id: '2' }], { root: 'stops', item: 'stop' })).toBe(`${DECLARATION}<stops><stop><id>1</id></stop><stop><id>2</id></stop></stops>`);
    expect(toXml([{ stop: { id: '1' } }, { bus: 'x' }], { root: 'feed' })).toBe(`${DECLARATION}<feed><stop><id>1</id></stop><bus>x</bus></feed>`);
    expect(toXml([], { root: 'feed', shortEmptyElements: true })).toBe(`${DECLARATION}<feed/>`);
  });
});

describe('deliberate differences from xmltodict.unparse (README)', () => {
  it('a carriage return in text is &#13; (unparse writes it as it is, and a parser reads it back as a line feed)', () => {
    expect(toXml({ a: 'x\ry\r\nz' })).toBe(`${DECLARATION}<a>x&#13;y&#13;\nz</a>`);
  });

  it('#text that is a number or a boolean is written as an element value is (unparse raises, or drops 0 and false)', () => {
    expect(toXml({ r: { a: { '@x': '1', '#text': 7 }, b: { '#text': 0 }, c: { '#text': false }, d: { '#text': 1.5 } } })).toBe(`${DECLARATION}<r><a x="1">7</a><b>0</b><c>false</c><d>1.5</d></r>`);
  });

  it.each<[string, unknown, { code: string; path: string | undefined }, object?]>([
    ['a key that is not an XML name', { feed: { entry: [{}, {}, {}, { 'bad name': 1 }] } }, { code: 'XML_NAME', path: '$.feed.entry[3]["bad name"]' }],
    ['a key that is not a name, though its empty list writes nothing', { a: { 'bad name': [] } }, { code: 'XML_NAME', path: '$.a["bad name"]' }],
    ['a root key that is not a name, its list empty', { '1a': [] }, { code: 'XML_NAME', path: '$["1a"]' }, { fullDocument: false }],
    ['a record key that is not a name, its list empty', [{ 'a>b': [] }], { code: 'XML_NAME', path: '$[0]["a>b"]' }, { root: 'r' }],
    ['an attribute name that is not one', { a: { '@1x': 'v' } }, { code: 'XML_NAME', path: '$.a["@1x"]' }],
    ['an attribute with no name', { a: { '@': 'v' } }, { code: 'XML_NAME', path: '$.a["@"]' }],
    ['a namespace prefix that is not a name', { a: { '@xmlns': { 'p q': 'u' } } }, { code: 'XML_NAME', path: '$.a["@xmlns"]["p q"]' }],
    ['a control character in text', { a: { b: ['ok', 'x\u0001'] } }, { code: 'XML_CHAR', path: '$.a.b[1]' }],
    ['a lone surrogate in an attribute', { a: { '@x': '\ud800' } }, { code: 'XML_CHAR', path: '$.a["@x"]' }],
    ['U+FFFE in #text', { a: { '#text': '\ufffe' } }, { code: 'XML_CHAR', path: '$.a["#text"]' }],
    ['two roots', { a: 1, b: 2 }, { code: 'XML_ROOT', path: '$' }],
    ['a root that is a list of two', { a: [1, 2] }, { code: 'XML_ROOT', path: '$.a[1]' }],
    ['no root: an empty list', { a: [] }, { code: 'XML_ROOT', path: undefined }],
    ['no root: nothing', {}, { code: 'XML_ROOT', path: '$' }],
    ['a document that is a list', [{ a: 1 }], { code: 'XML_VALUE', path: '$' }],
    ['a document that is a string', 'a', { code: 'XML_VALUE', path: '$' }],
    ['a list in a list', { a: { b: [[1, 2]] } }, { code: 'XML_VALUE', path: '$.a.b[0]' }],
    ['an attribute that is an object', { a: { '@x': { k: 1 } } }, { code: 'XML_VALUE', path: '$.a["@x"]' }],
    ['an attribute that is null', { a: { '@x': null } }, { code: 'XML_VALUE', path: '$.a["@x"]' }],
    ['an attribute that is a list', { a: { '@x': [1] } }, { code: 'XML_VALUE', path: '$.a["@x"]' }],
    ['#text that is an object', { a: { '#text': { k: 1 } } }, { code: 'XML_VALUE', path: '$.a["#text"]' }],
    ['NaN', { a: Number.NaN }, { code: 'XML_VALUE', path: '$.a' }],
    ['a Date, which is not JSON', { a: { b: new Date(0) } }, { code: 'XML_VALUE', path: '$.a.b' }],
    ['a record that is not an object, without an item name', [{ a: 1 }, 'x'], { code: 'XML_VALUE', path: '$[1]' }, { root: 'r' }],
  ])('refuses %s', (_what, value, expected, options = {}) => {
    expect(refusal(value, options)).toEqual(expected);
  });

  it("the message reads path: reason, and a ToXmlError's fields say the same", () => {
    expect(() => toXml({ feed: { 'bad name': 1 } })).toThrow(/^\$\.feed\["bad name"\]: "bad name" is not an XML name$/u);
  });

  it('root and item names, and indentation, are checked when the writer is made', () => {
    expect(() => toXml([], { root: 'two words' })).toThrow(ToXmlError);
    expect(() => toXml({ a: 1 }, { pretty: true, indent: 'x' })).toThrow(TypeError);
  });
});

describe('what must not go wrong', () => {
  it('__proto__, constructor and toString are ordinary names, as elements and as attributes', () => {
    const value = JSON.parse('{"__proto__": {"@__proto__": "1", "constructor": {"toString": "x"}, "hasOwnProperty": null}}') as unknown;
    expect(toXml(value)).toBe(`${DECLARATION}<__proto__ __proto__="1"><constructor><toString>x</toString></constructor><hasOwnProperty></hasOwnProperty></__proto__>`);
  });

  it('100,000 levels deep: written, without overflowing the stack', () => {
    let value: unknown = 'x';
    for (let i = 0; i < 100_000; i++) value = { a: value };
    const xml = toXml({ r: value });
    expect(xml).toBe(`${DECLARATION}<r>${'<a>'.repeat(100_000)}x${'</a>'.repeat(100_000)}</r>`);
    let list: unknown = 'x';
    for (let i = 0; i < 100_000; i++) list = [{ a: list }];
    expect(toXml({ r: list }).length).toBe(DECLARATION.length + 7 + 7 * 100_000 + 1);
  });

  it('a fault deep down names its whole path', () => {
    let value: unknown = { 'x y': 1 };
    for (let i = 0; i < 3; i++) value = { a: [value] };
    expect(refusal({ r: value }).path).toBe('$.r.a[0].a[0].a[0]["x y"]');
  });

  it('undefined is left out, as JSON.stringify leaves it', () => {
    expect(toXml({ a: { b: undefined, c: '1', '@x': undefined } })).toBe(`${DECLARATION}<a><c>1</c></a>`);
  });
});
