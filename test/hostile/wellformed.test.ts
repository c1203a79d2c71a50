// Faults that sax's strict mode lets through, each found by our tokenizer and placed at the
// offending character (a reference's fault at its "&", a misplaced construct at its "<").
import { describe, expect, it } from 'vitest';
import { convert } from './convert.js';

const errorOf = (xml: string) => convert(xml).error?.message;

describe('faults sax misses, in the body: found, at the offending character', () => {
  it.each([
    ['<a>x ]]> y</a>', '1:6: "]]>" is not allowed in text'],
    ['<a b="x<y"/>', '1:8: "<" is not allowed in the value of attribute "b" (is its closing quote missing?)'],
    ['<a>\u0001</a>', '1:4: character U+0001 is not allowed in XML'],
    ['<a>&#0;</a>', '1:4: &#0; is not a character XML allows'],
    ['<a>&#X41;</a>', '1:6: the "x" of a hexadecimal character reference is lowercase (&#x41;)'],
    ['<a><!-- \uFFFF --></a>', '1:9: character U+FFFF is not allowed in XML'],
    ['<a><?xml version="1.0"?></a>', '1:4: the XML declaration must be at the very start of the document'],
    ['<a><![cdata[x]]></a>', '1:6: a CDATA section starts "<![CDATA[", in capitals'],
    ['<a/><![CDATA[x]]>', '1:5: a CDATA section outside the root element'],
    ['<a><!ELEMENT a ANY></a>', '1:6: "<!" must start a comment or a CDATA section'],
    ['<a 1b="x"/>', '1:4: "1" cannot start an attribute name'],
    ['<a></ a>', '1:6: white space is not allowed after "</"'],
    ['<a>\n</\na>', '2:3: white space is not allowed after "</"'], // the line end after "</" is the line's third character
  ])('%j → %s', (xml, message) => {
    expect(errorOf(xml)).toBe(message);
  });

  it('a long text of astral characters converts, whatever pieces it comes in', () => {
    for (const pad of ['', 'a']) expect(convert(`<r>${pad}${'𝄞'.repeat(40_000)}</r>`).out).toBe(`{"r":"${pad}${'𝄞'.repeat(40_000)}"}\n`);
  });

  it('white space after "</" is found wherever the chunks are cut', () => {
    const xml = '<a>x\n</ a>';
    for (let cut = 0; cut <= xml.length; cut++) {
      for (const second of [cut, cut + 1]) {
        const chunks = [xml.slice(0, cut), xml.slice(cut, second), xml.slice(second)];
        expect(convert(chunks).error?.message, JSON.stringify(chunks)).toBe('2:3: white space is not allowed after "</"');
      }
    }
  });

  it('but "</ " in CDATA or a comment is text, not an end tag', () => {
    expect(convert('<a><![CDATA[</ b]]><!-- </ c --></a>').out).toBe('{"a":"</ b"}\n');
  });

  it('but "]]>" and "<" written as references are fine', () => {
    expect(convert('<a b="x&lt;y">]]&gt; ]]&#62;</a>').out).toBe('{"a":{"@b":"x<y","#text":"]]> ]]>"}}\n');
  });
});

describe('faults sax misses, in the prolog and the DOCTYPE: read once, by its grammar', () => {
  it.each([
    [' <?xml version="1.0"?><a/>', '1:2: the XML declaration must be at the very start of the document'],
    ['<?xml version="2.0"?><a/>', '1:16: version "2.0" is not 1.x'],
    ['<?xml encoding="UTF-8"?><a/>', '1:7: the XML declaration must start with version="1.x"'],
    ['<?xml version="1.0" standalone="maybe"?><a/>', '1:33: standalone must be "yes" or "no"'],
    ['<!DOCTYPE a [\n<!ELEMENT a (b,c|d)>\n]><a/>', '2:17: a content model group may not mix "|" and ","'],
    ['<!DOCTYPE a [\n<!ELEMENT a (#PCDATA|b)>\n]><a/>', '2:24: a mixed content model with element names must end in ")*"'],
    ['<!DOCTYPE a [\n<!ATTLIST a b NAME #IMPLIED>\n]><a/>', '2:15: expected an attribute type'],
    ['<!DOCTYPE a [\n<!ENTITY e "x" "y">\n]><a/>', '2:16: expected ">" to end the ENTITY declaration'],
    ['<!DOCTYPE a [\n<!ENTITY e PUBLIC "a[b" "c">\n]><a/>', '2:21: "[" is not allowed in a public identifier'],
    ['<!DOCTYPE a [\n<!-- a -- b -->\n]><a/>', '2:10: expected ">" after "--" (a comment may not contain "--")'],
    ['<!DOCTYPE a [\n<![INCLUDE[ ]]>\n]><a/>', '2:1: conditional sections are allowed only in an external DTD'],
    ['<!DOCTYPE a [\n<!ENTITY e "&#0;">\n]><a/>', '2:13: &#0; is not a character XML allows'],
    ['<!DOCTYPE a [\n<!ATTLIST a b CDATA "&undeclared;">\n]><a/>', '2:22: undefined entity &undeclared;'],
    ['<!DOCTYPE a [ <!ELEMENT a ANY>', '1:31: the DOCTYPE\'s internal subset is not closed (the document ends in its DOCTYPE)'],
    ['text<a/>', '1:1: text before the root element'],
  ])('%j → %s', (xml, message) => {
    expect(errorOf(xml)).toBe(message);
  });

  it('a well-formed DOCTYPE with comments and PIs inside converts', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE a [\n<?pi in the subset?>\n<!-- it\'s a comment -->\n<!ELEMENT a (#PCDATA|b)*>\n<!ATTLIST a x CDATA #IMPLIED y (p|q) "p">\n<!ENTITY % pe "<!ELEMENT b EMPTY>">\n%pe;\n]>\n<a x="1">t</a>';
    expect(convert(xml)).toEqual({ out: '{"a":{"@x":"1","@y":"p","#text":"t"}}\n' }); // y: the ATTLIST's default, as in xmltodict
  });
});
