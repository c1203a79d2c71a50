// --parser sax: the course's xml.sax, the npm sax package behind our three calls. On well-formed XML
// without a DTD it gives our output; README lists what it lets through, and this file checks the list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError } from '../../src/errors.js';
import type { XmlEvent } from '../../src/events.js';
import { convert as convertDocument } from '../../src/api.js';
import { xmlEvents } from '../helpers/collect.js';
import { runBin } from '../helpers/run-bin.js';

/** Texts may come in different pieces from each parser: joined before comparing. */
const merged = (events: XmlEvent[]): XmlEvent[] =>
  events.reduce<XmlEvent[]>((out, event) => {
    const last = out.at(-1);
    if (event.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + event.text };
    else out.push(event);
    return out;
  }, []);

const buses = readFileSync(new URL('../../samples/buses.xml', import.meta.url));
const outcome = (xml: string, parser: 'cosax' | 'sax') => {
  try {
    return JSON.stringify(convertDocument(xml, { parser }));
  } catch (error) {
    return error instanceof XmlSyntaxError ? `${error.code} ${error.line}:${error.column}` : `crash: ${String(error)}`;
  }
};

describe('the sax backend', () => {
  it.each([
    ['elements, attributes and text', '<a x="1" y="two"><b>hi</b><c/></a>'],
    ['CDATA between text', '<a>x<![CDATA[Paulina & <Howard>]]>y</a>'],
    ['references', '<a t="&lt;&amp;">&lt;&gt;&amp;&quot;&apos;&#233;&#x1D11E;</a>'],
    ['comments, PIs, a declaration and a DOCTYPE', '<?xml version="1.0"?>\n<!DOCTYPE a>\n<a><?pi x?><!--c-->t<!--d--></a>'],
    ['attributes named __proto__ and constructor', '<a __proto__="x" constructor="y"/>'],
    ['mixed content and white space', '<p>Hello <b>world</b> again\t\n</p>'],
    ['CR LF line ends', '<a>1\r\n2</a>'],
    ['non-ASCII names and text', '<données clé="é">€ 𝄞</données>'],
  ])('sends the events ours sends: %s', (_what, xml) => {
    expect(merged(xmlEvents(xml, { parser: 'sax' }))).toEqual(merged(xmlEvents(xml)));
  });

  it('an attribute named hasOwnProperty: last, it converts; followed by another, where sax itself throws a TypeError, an XmlSyntaxError at it', () => {
    expect(outcome('<a b="2" hasOwnProperty="x"/>', 'sax')).toBe('{"a":{"@b":"2","@hasOwnProperty":"x"}}');
    expect(outcome('<r>\n<a hasOwnProperty="x" b="2"/></r>', 'sax')).toBe('XML_SYNTAX 2:27'); // sax's place: the quote that closes b's value, where it checks b
    expect(outcome('<r>\n<a hasOwnProperty="x" b="2"/></r>', 'cosax')).toBe('{"r":{"a":{"@hasOwnProperty":"x","@b":"2"}}}');
  });

  it('keeps --max-text for attribute values and names too (sax holds them up to its own 64–128 Ki buffer)', () => {
    const limited = (xml: string) => {
      try {
        return JSON.stringify(convertDocument(xml, { parser: 'sax', limits: { maxText: 10 } }));
      } catch (error) {
        return `${(error as XmlSyntaxError).code}: ${(error as XmlSyntaxError).reason}`;
      }
    };
    expect(limited('<a b="12345678901"/>')).toBe('XML_LIMIT: an attribute value longer than 10 characters (maxText)');
    expect(limited('<a bbbbbbbbbbb="1"/>')).toBe('XML_LIMIT: a name longer than 10 characters (maxText)');
    expect(limited('<aaaaaaaaaaa/>')).toBe('XML_LIMIT: a name longer than 10 characters (maxText)');
    expect(limited('<aaaaaaaaaa bbbbbbbbbb="1234567890"/>')).toBe('{"aaaaaaaaaa":{"@bbbbbbbbbb":"1234567890"}}');
  });

  it('converts the bus sample as ours does', () => {
    expect(merged(xmlEvents(buses, { parser: 'sax' }))).toEqual(merged(xmlEvents(buses)));
  });

  it('reports its faults as XmlSyntaxError, one line, 1-based', () => {
    expect(() => convertDocument('<a>\n<b></c></a>', { parser: 'sax' })).toThrow(XmlSyntaxError);
    try {
      convertDocument('<a>\n<b></c></a>', { parser: 'sax', file: 'f.xml' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'XML_SYNTAX', line: 2, file: 'f.xml' });
      expect((error as Error).message).not.toContain('\n');
    }
    expect(() => convertDocument('', { parser: 'sax' })).toThrow('no root element');
    expect(() => convertDocument('<a/><b/>', { parser: 'sax' })).toThrow(XmlSyntaxError);
  });

  // README "The sax backend": what it lets through, each accepted by sax and rejected by ours.
  it.each([
    ['white space after "<"', '< a/>'],
    ['a character XML forbids', '<a>\u0001</a>'],
    ['"]]>" in text', '<a>x ]]> y</a>'],
    ['"<" in an attribute value', '<a b="x<y"/>'],
    ['a repeated attribute (the second is dropped)', '<a b="1" b="2"/>'],
    ['a malformed XML declaration', '<?xml version="2.0"?><a/>'],
    ['the XML declaration not first', ' <?xml version="1.0"?><a/>'],
    ['a malformed DOCTYPE', '<!DOCTYPE a [<!ELEMENT a (b,c|d)>]><a/>'],
    ['white space after "</"', '<a></ a>'],
    ['"<![cdata[" in lower case', '<a><![cdata[x]]></a>'],
    ['a CDATA section after the root', '<a/><![CDATA[x]]>'],
  ])('lets through %s, which ours rejects', (_what, xml) => {
    expect(outcome(xml, 'sax')).toMatch(/^[{"]/);
    expect(outcome(xml, 'cosax')).toMatch(/^XML_SYNTAX \d+:\d+$/);
  });

  it.each([
    ['the DTD\'s default attributes', '<!DOCTYPE a [<!ATTLIST a x CDATA "d">]><a/>', '{"a":null}', '{"a":{"@x":"d"}}'],
    ['attribute-value normalisation', '<a x="1\n2"/>', '{"a":{"@x":"1\\n2"}}', '{"a":{"@x":"1 2"}}'],
  ])('ignores %s, which xmltodict (and ours) applies', (_what, xml, sax, ours) => {
    expect(outcome(xml, 'sax')).toBe(sax);
    expect(outcome(xml, 'cosax')).toBe(ours);
  });

  it('is chosen on the command line with --parser sax; an unknown parser is bad usage', async () => {
    expect(await runBin(['--parser', 'sax', '-e', 'b', '-f', 'ndjson'], '<a><b>1</b><b x="2"/></a>')).toEqual({ code: 0, stdout: '"1"\n{"@x":"2"}\n', stderr: '' });
    expect((await runBin(['--parser', 'saxes'], '<a/>')).code).toBe(2);
  });
});
