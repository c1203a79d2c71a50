// Our tokenizer: the events it sends, the same however the text is cut, the same as saxes's on
// well-formed documents, and each fault at the character that makes it one.
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError } from '../../src/errors.js';
import type { Attributes } from '../../src/events.js';
import { LineEnds } from '../../src/xml/decode.js';
import { Tokenizer } from '../../src/xml/tokenizer.js';
import { wellFormed } from '../fuzz/documents.js';
import { xmlEvents } from '../helpers/collect.js';
import { convert } from '../hostile/convert.js';

type Token = ['start', string, Attributes] | ['text', string] | ['end', string];

/** What the tokenizer reports for these pieces of text, adjacent texts joined (a text may come in any pieces). */
function tokens(pieces: string[], maxText = 1 << 30): Token[] {
  const out: Token[] = [];
  const text = (t: string) => {
    const last = out.at(-1);
    if (last?.[0] === 'text') last[1] += t;
    else out.push(['text', t]);
  };
  const tokenizer = new Tokenizer(
    {
      startTag: (name, attrs) => out.push(['start', name, { ...attrs }]),
      endTag: (name) => out.push(['end', name]),
      text: (source, start, end) => text(source.slice(start, end)),
    },
    { maxText },
  );
  const lineEnds = new LineEnds();
  for (const piece of pieces) tokenizer.write(lineEnds.normalize(piece));
  tokenizer.end();
  return out;
}

/** saxes's events for the same text: an oracle we did not write (CDATA as text, texts joined, nothing outside the root). */
function saxesTokens(xml: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  const parser = new SaxesParser();
  const text = (t: string) => {
    if (depth === 0 || t === '') return; // saxes reports an empty CDATA section as an empty text
    const last = out.at(-1);
    if (last?.[0] === 'text') last[1] += t;
    else out.push(['text', t]);
  };
  parser.on('opentag', (tag) => {
    depth++;
    out.push(['start', tag.name, { ...(tag.attributes as Record<string, string>) }]);
  });
  parser.on('closetag', (tag) => {
    depth--;
    out.push(['end', tag.name]);
  });
  parser.on('text', text);
  parser.on('cdata', text);
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(new LineEnds().normalize(xml)).close();
  return out;
}

/** The error converting this text (in these pieces) gives: position and reason. */
function faultOf(xml: string | string[]): string | undefined {
  return convert(Array.isArray(xml) ? xml : [xml]).error?.message;
}

describe('events', () => {
  it('start, text and end, in document order, each event a copy as the adapter reuses them', () => {
    expect(xmlEvents('<a x="1"><b>hi</b><c/></a>')).toEqual([
      { type: 'start', name: 'a', attrs: { x: '1' } },
      { type: 'start', name: 'b', attrs: {} },
      { type: 'text', text: 'hi' },
      { type: 'end', name: 'b' },
      { type: 'start', name: 'c', attrs: {} },
      { type: 'end', name: 'c' },
      { type: 'end', name: 'a' },
    ]);
  });

  it('CDATA and references are text, between the text around them', () => {
    expect(tokens(['<a>x<![CDATA[Paulina & <Howard>]]>y&lt;&gt;&amp;&quot;&apos;&#233;&#x1D11E;</a>'])).toEqual([
      ['start', 'a', {}],
      ['text', 'xPaulina & <Howard>y<>&"\'é𝄞'],
      ['end', 'a'],
    ]);
  });

  it('attributes: own keys in document order, __proto__ too; values normalised as §3.3.3 says', () => {
    const [[, , attrs]] = tokens(['<a __proto__="x" constructor=\'y\' t="1\t2\n3&#9;4&#10;5" e="&lt;&#x3C;"/>']) as [['start', string, Attributes]];
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor', 't', 'e']);
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(attrs).toEqual({ ['__proto__']: 'x', constructor: 'y', t: '1 2 3\t4\n5', e: '<<' });
  });

  it('the same name is the same string, so the builder keys records by one string per name', () => {
    const starts = tokens(['<r><bus/><bus/><bus/></r>']).filter((t) => t[0] === 'start' && t[1] === 'bus');
    expect(starts).toHaveLength(3);
  });

  it('the DTD: defaults added after the given attributes, non-CDATA values collapsed', () => {
    expect(tokens(['<!DOCTYPE a [<!ATTLIST a lang CDATA "en" ids NMTOKENS #IMPLIED k (x|y) " y ">]><a ids="  x   y "/>'])[0]).toEqual(['start', 'a', { ids: 'x y', lang: 'en', k: 'y' }]);
  });
});

describe('chunks', () => {
  const doc = '<?xml version="1.0"?>\r\n<!DOCTYPE r [<!ATTLIST b d CDATA "x">]>\n<!-- c - d --><r a="1&amp;2">t&#233;x<![CDATA[ ]] ] > ]]>t<?pi x??><b/><é ü="𝄞"> </é></r>\n<?end?>';

  it('one character a chunk, or cut anywhere: the same events as in one piece', () => {
    const whole = tokens([doc]);
    expect(whole.length).toBeGreaterThan(5);
    expect(tokens([...doc])).toEqual(whole);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(doc.length), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), doc.length];
        expect(tokens(points.slice(1).map((end, i) => doc.slice(points[i], end)))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the same events as saxes, an oracle we did not write', () => {
  it('on 1,000 generated well-formed documents, whole and cut at random', () => {
    const docs = fc.sample(wellFormed, { seed: 20261201, numRuns: 1000 });
    for (const doc of docs) {
      const theirs = saxesTokens(doc);
      expect(tokens([doc]), doc).toEqual(theirs);
      const cut = Math.floor(doc.length / 3);
      expect(tokens([doc.slice(0, cut), doc.slice(cut, 2 * cut), doc.slice(2 * cut)]), doc).toEqual(theirs);
    }
  });
});

describe("the holes sax left, each closed", () => {
  it('white space after "<" is not a tag, at the space', () => {
    expect(faultOf('<r>< item/></r>')).toBe('1:5: white space is not allowed after "<"');
  });

  it('an attribute value and a processing instruction longer than 64 KiB convert, whole or in chunks', () => {
    const long = 'v'.repeat(200_000);
    const xml = `<r a="${long}"><?pi ${long}?>x</r>`;
    expect(convert(xml).out).toBe(`{"r":{"@a":"${long}","#text":"x"}}\n`);
    const chunks = xml.match(/[^]{1,65536}/g)!;
    expect(convert(chunks).out).toBe(`{"r":{"@a":"${long}","#text":"x"}}\n`);
  });

  it('a forbidden character on line 2 of a 52-line text is on line 2, at its column', () => {
    const text = ['first', 'se\u0001cond', ...Array.from({ length: 50 }, (_, i) => `line ${i + 3}`)].join('\n');
    expect(faultOf(`<r>${text}</r>`)).toBe('2:3: character U+0001 is not allowed in XML');
  });

  it('an empty document: line 1, column 1', () => {
    expect(faultOf('')).toBe('1:1: no root element');
  });

  it('a prolog and no root: at the end of the input, not on line 1', () => {
    expect(faultOf('<?xml version="1.0"?>\n<!-- only -->\n  ')).toBe('3:3: no root element');
  });
});

describe('positions: the offending character, both 1-based', () => {
  it.each([
    ['the first character of a bad name', '<r>\n  <1a/></r>', '2:4: "1" cannot start an element name'],
    ['a bad character inside a long text', `<r>${'x'.repeat(100_000)}\uFFFEy</r>`, '1:100004: character U+FFFE is not allowed in XML'],
    ['the end of input for a truncated document', '<r>\n<b>x', '2:5: the document ends inside <b>: its end tag is missing'],
    ['the end of input inside a tag', '<r>\n<b x="1" ', '2:10: the document ends inside the start tag of <b>'],
    ['the quote of a value never closed', '<r>\n<b x="1/>\n', '2:6: the value of attribute "x" is never closed: the document ends inside it'],
    ['a column in characters: an astral character is one', '<r>𝄞𝄞<</r>', '1:7: "<" cannot start an element name'],
    ['the "&" of a reference to an undeclared entity', '<r>a &b; c</r>', '1:6: undefined entity &b;'],
    ['an end tag that does not match, at its name', '<r><b>\n</c></r>', '2:3: the end tag </c> does not match <b>'],
    ['a second root at its "<"', '<r/>\n <s/>', '2:2: a second root element'],
    ['after a byte order mark given as text, which is no column', '\uFEFF<a></b>', '1:6: the end tag </b> does not match <a>'],
    ['a second byte order mark, which is a character before the root', '\uFEFF\uFEFF<a/>', '1:1: text before the root element'],
  ])('%s', (_what, xml, message) => {
    expect(faultOf(xml)).toBe(message);
  });

  it('a U+FEFF after a byte order mark the decoder dropped is a character: text before the root, as expat has it', () => {
    const twice = (encoding: BufferEncoding) => convert(Buffer.from('\uFEFF\uFEFF<a/>', encoding)).error?.message;
    expect(twice('utf8')).toBe('1:1: text before the root element');
    expect(twice('utf16le')).toBe('1:1: text before the root element');
    expect(convert(Buffer.from('\uFEFF<a></b>', 'utf8')).error?.message).toBe('1:6: the end tag </b> does not match <a>'); // as given as text
  });

  it('the same position wherever the chunks are cut', () => {
    const xml = '<r>\n  <b x="1" x="2"/></r>';
    for (let cut = 0; cut <= xml.length; cut++) expect(faultOf([xml.slice(0, cut), xml.slice(cut)])).toBe('2:12: attribute "x" appears twice in a start tag');
  });

  it("a limit's fault at a start tag is placed at its '<', wherever the chunks are cut", () => {
    const xml = '<r><a><a><item>1</item></a></a></r>';
    for (let cut = 0; cut <= xml.length; cut++) {
      expect(convert([xml.slice(0, cut), xml.slice(cut)], {}, { maxDepth: 3 }).error?.message).toBe('1:10: elements nested deeper than 3 (maxDepth)');
    }
  });

  it('an attribute value longer than the text limit is an XML_LIMIT error', () => {
    expect(convert(`<r a="${'x'.repeat(101)}"/>`, {}, { maxText: 100 }).error).toMatchObject({ code: 'XML_LIMIT', reason: 'an attribute value longer than 100 characters (maxText)' });
    expect(convert(['<r a="', ...Array(11).fill('x'.repeat(10)), '"/>'], {}, { maxText: 100 }).error?.code).toBe('XML_LIMIT');
    expect(convert(`<r a="${'x'.repeat(100)}"/>`, {}, { maxText: 100 }).error).toBeUndefined();
  });

  it('every fault is an XmlSyntaxError, never a RangeError or a crash, on text of every kind of piece', () => {
    const piece = fc.constantFrom('<', '>', '/', '&', ';', '#', 'x', '"', "'", '=', ' ', '\n', 'a', '<a>', '</a>', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE a [', ']>', '&#x', '&#', '\uFFFE', '𝄞');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(40), (pieces, cut) => {
        const xml = pieces.join('');
        try {
          tokens([xml.slice(0, cut), xml.slice(cut)]);
        } catch (error) {
          expect(error).toBeInstanceOf(XmlSyntaxError);
          const { line, column } = error as XmlSyntaxError;
          expect(line! >= 1 && column! >= 1).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('reading from the middle of a document', () => {
  /** Tokens of a fragment read after enterContent(open, unknownAbove); outer end tags as ['outer', name]. */
  function fragment(pieces: string[], open: string[], unknownAbove: boolean): Array<Token | ['outer', string]> {
    const out: Array<Token | ['outer', string]> = [];
    const tokenizer = new Tokenizer(
      {
        startTag: (name) => out.push(['start', name, {}]),
        endTag: (name) => out.push(['end', name]),
        text: (source, start, end) => out.push(['text', source.slice(start, end)]),
        outerEnd: (name) => out.push(['outer', name]),
      },
      { maxText: 1000 },
    );
    tokenizer.enterContent(open, unknownAbove);
    for (const piece of pieces) tokenizer.write(piece);
    return out;
  }

  it('inside known elements: their end tags are checked, and the document ends after the root', () => {
    expect(fragment(['<b/></a></r>'], ['r', 'a'], false)).toEqual([['start', 'b', {}], ['end', 'b'], ['end', 'a'], ['end', 'r']]);
    expect(() => fragment(['</x>'], ['r'], false)).toThrow('the end tag </x> does not match <r>');
    expect(() => fragment(['</r><s/>'], ['r'], false)).toThrow('a second root element');
  });

  it('with elements unknown above: their end tags are reported, in any chunks, and reading goes on', () => {
    const xml = '<b>1</b></a >\n</r><b>2</b>';
    const whole = fragment([xml], [], true);
    expect(whole).toEqual([['start', 'b', {}], ['text', '1'], ['end', 'b'], ['outer', 'a'], ['text', '\n'], ['outer', 'r'], ['start', 'b', {}], ['text', '2'], ['end', 'b']]);
    expect(fragment([...xml], [], true).filter((t) => t[0] === 'outer')).toEqual([['outer', 'a'], ['outer', 'r']]);
  });

  it('positions and offsets count from where reading began', () => {
    const tokenizer = new Tokenizer({ startTag() {}, endTag() {}, text() {} }, { maxText: 1000 });
    tokenizer.enterContent(['r'], false);
    try {
      tokenizer.write('<b>\n <c></b>');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ line: 2, column: 7 });
      expect(tokenizer.offset()).toBe(8); // the '<' of the end tag
    }
  });
});

describe('skipTo: the next record after a fault', () => {
  it('drops what is left of a record and reads on at the next start tag with a record name, in any chunks', () => {
    const xml = '<r><x>1</x><x>2<oops></x><x>3</x><y/><x>4</x></r>';
    const read = (pieces: string[]) => {
      const out: Token[] = [];
      const tokenizer = new Tokenizer(
        { startTag: (name) => out.push(['start', name, {}]), endTag: (name) => out.push(['end', name]), text: (s, a, b) => out.push(['text', s.slice(a, b)]) },
        { maxText: 1000 },
      );
      const faults: string[] = [];
      const write = (piece: string) => {
        for (let text = piece; ; text = '') {
          try {
            return tokenizer.write(text);
          } catch (error) {
            faults.push((error as Error).message);
            tokenizer.skipTo(['x', 'y'], ['r']);
          }
        }
      };
      pieces.forEach(write);
      tokenizer.end();
      return { texts: out.filter((t) => t[0] === 'text').map((t) => t[1]).join(''), faults };
    };
    const whole = read([xml]);
    expect(whole).toEqual({ texts: '1234', faults: ['1:24: the end tag </x> does not match <oops>'] });
    for (let cut = 0; cut <= xml.length; cut++) expect(read([xml.slice(0, cut), xml.slice(cut)]).texts).toBe('1234');
  });
});
