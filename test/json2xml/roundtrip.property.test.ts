// The round trip on generated documents without mixed content (an element holds text or elements,
// not both): xml2json's JSON, written back as XML, reads back into the same JSON — whole, compact and
// pretty, and as the records of an element name inside a root.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/api.js';
import { parseSync } from '../../src/driver.js';
import { recordSelector } from '../../src/query.js';
import { type Json, buildElements } from '../../src/stages/build.js';
import { toXml } from '../../src/to-xml.js';
import { collect } from '../helpers/collect.js';

interface Element {
  name: string;
  attrs: Array<[string, string]>;
  content: { kind: 'text'; text: string } | { kind: 'children'; children: Element[]; space: string };
}

const NAMES = ['a', 'b', 'item', 'p:a', '__proto__', 'constructor', 'toString', 'é', 'x.y', 'a-b', '_u'];
const ATTRIBUTES = ['id', 'x', 'p:x', '__proto__', 'constructor', 'xmlns', 'xmlns:p'];
// Text as a document writes it: escaped characters and references, a carriage return among them (&#13;).
const piece = fc.constantFrom('x', 'hello world', '&amp;', '&lt;', '&gt;', '&quot;', "'", '"', ' ', '\n', '\t', '&#13;', '&#9;', '&#xA;', '&#x1D11E;', 'é', '€', '\u0085', '\u00a0', '007', ']]&gt;', '<![CDATA[<&>]]>');
const text = fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.join(''));
const attributeText = fc.array(piece.filter((p) => !p.startsWith('<![CDATA[') && p !== '"'), { maxLength: 4 }).map((pieces) => pieces.join(''));

const element: fc.Arbitrary<Element> = fc.letrec<{ element: Element }>((tie) => ({
  element: fc.record({
    name: fc.constantFrom(...NAMES),
    attrs: fc.uniqueArray(fc.tuple(fc.constantFrom(...ATTRIBUTES), attributeText), { maxLength: 3, selector: ([n]) => n }),
    content: fc.oneof(
      { depthSize: 'small' },
      text.map((t) => ({ kind: 'text' as const, text: t })),
      fc.record({ kind: fc.constant('children' as const), children: fc.array(tie('element'), { maxLength: 4 }), space: fc.constantFrom('', '\n  ', ' ') }),
    ),
  }),
})).element;

function serialize(e: Element): string {
  const attrs = e.attrs.map(([n, v]) => ` ${n}="${v}"`).join('');
  const { content } = e;
  const body = content.kind === 'text' ? content.text : content.children.map((child) => content.space + serialize(child)).join('');
  return `<${e.name}${attrs}>${body}</${e.name}>`;
}

function recordsOf(xml: string, name: string): Json[] {
  const out: Json[] = [];
  parseSync([xml], buildElements(recordSelector(name), {}, collect(out)));
  return out;
}

describe('xml2json, then json2xml, then xml2json', () => {
  it('the same JSON for the whole document, compact and pretty', () => {
    fc.assert(
      fc.property(element, (root) => {
        const json = JSON.stringify(convert(serialize(root)));
        const value = JSON.parse(json) as Json;
        expect(JSON.stringify(convert(toXml(value)))).toBe(json);
        expect(JSON.stringify(convert(toXml(value, { pretty: true, indent: 2 })))).toBe(json);
      }),
      { numRuns: 1500 },
    );
  });

  it('the same records of an element name, written inside a root', () => {
    fc.assert(
      fc.property(element, fc.constantFrom(...NAMES), (root, name) => {
        const records = recordsOf(serialize(root), name);
        const again = recordsOf(toXml(records, { root: 'cosax-records', item: name, pretty: true }), name);
        expect(JSON.stringify(again)).toBe(JSON.stringify(records));
      }),
      { numRuns: 1500 },
    );
  });
});
