import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChar } from '../../src/xml/chars.js';
import { XmlSyntaxError } from '../../src/errors.js';
import { InvalidBytes, LineEnds, XmlDecoder } from '../../src/xml/decode.js';
import { parseSync } from '../../src/driver.js';
import { pipeline } from '../../src/chain.js';
import { judge, ours } from '../xmltodict/oracle.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

function decodeAll(chunks: Uint8Array[]): string {
  const decoder = new XmlDecoder();
  return chunks.map((chunk) => decoder.decode(chunk)).join('') + decoder.end();
}

describe('XmlDecoder', () => {
  it('joins a multi-byte character split across two chunks', () => {
    const euro = utf8('<a>€</a>'); // € is E2 82 AC
    expect(decodeAll([euro.subarray(0, 4), euro.subarray(4)])).toBe('<a>€</a>');
    expect(decodeAll([euro.subarray(0, 5), euro.subarray(5)])).toBe('<a>€</a>');
  });

  it('joins an astral character split one byte per chunk', () => {
    const doc = utf8('<a>𝄞</a>');
    expect(decodeAll([...doc].map((b) => bytes(b)))).toBe('<a>𝄞</a>');
  });

  it('drops a UTF-8 byte order mark but keeps a U+FEFF later in the text', () => {
    expect(decodeAll([bytes(0xef, 0xbb, 0xbf, ...utf8('<a>\uFEFF</a>'))])).toBe('<a>\uFEFF</a>');
  });

  it('decodes UTF-16 LE and BE by their byte order marks, split mid-character', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>é𝄞</a>', 'utf16le')]);
    const be = Buffer.from(le).swap16(); // FF FE becomes FE FF
    expect(decodeAll([le.subarray(0, 7), le.subarray(7, 11), le.subarray(11)])).toBe('<a>é𝄞</a>');
    expect(decodeAll([be.subarray(0, 3), be.subarray(3)])).toBe('<a>é𝄞</a>');
  });

  it('uses the encoding named in the XML declaration: ISO-8859-1 is not windows-1252', () => {
    const doc = bytes(...utf8('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), 0xe9, 0x80, ...utf8('</a>'));
    expect(decodeAll([doc])).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>é\u0080</a>');
  });

  it('windows-1252 maps 0x80 to the euro sign', () => {
    const doc = bytes(...utf8("<?xml version='1.0' encoding='windows-1252'?><a>"), 0x80, ...utf8('</a>'));
    expect(decodeAll([doc])).toContain('<a>€</a>');
  });

  it('rejects invalid UTF-8 and returns the valid text before it', () => {
    const decoder = new XmlDecoder();
    try {
      decoder.decode(bytes(...utf8('<a>ok'), 0xff, ...utf8('</a>')));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidBytes);
      expect((error as InvalidBytes).text).toBe('<a>ok');
    }
  });

  it('rejects a byte above 0x7F in US-ASCII', () => {
    const decoder = new XmlDecoder();
    expect(() => decoder.decode(bytes(...utf8('<?xml version="1.0" encoding="US-ASCII"?><a>'), 0xc3, 0xa9))).toThrow(InvalidBytes);
  });

  it('rejects input that ends inside a character', () => {
    const decoder = new XmlDecoder();
    decoder.decode(bytes(...utf8('<a>'), 0xe2, 0x82));
    expect(() => decoder.end()).toThrow(/ends inside/);
  });
});

describe("XmlDecoder.checked: the tokenizer's check of §2.2 Char, done on UTF-8 bytes", () => {
  // The oracle is the Char production itself, a code point at a time (not the tokenizer's regex).
  const allowed = (text: string) => [...text].every((c) => isChar(c.codePointAt(0)!));
  // Code points around every edge that matters: C0 controls, tab/LF/CR, U+FFFE/U+FFFF and the other
  // characters whose UTF-8 begins 0xEF (U+F000–U+FFFF), U+FEFF, and characters of 2, 3 and 4 bytes.
  const codePoint = fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.constantFrom(0x00, 0x01, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x1f, 0x7f),
    fc.integer({ min: 0x80, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xffff }),
    fc.constantFrom(0xeeff, 0xefff, 0xf000, 0xfeff, 0xfffd, 0xfffe, 0xffff),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  );

  it('is true only for text Char allows, and true for all such text without a character beginning 0xEF, in any chunks', () => {
    fc.assert(
      fc.property(fc.array(codePoint, { maxLength: 80 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (points, sizes) => {
        const all = utf8(String.fromCodePoint(...points));
        const decoder = new XmlDecoder('utf-8');
        for (let at = 0, k = 0; at < all.length; k++) {
          const chunk = all.subarray(at, (at += sizes[k % sizes.length]!));
          const text = decoder.decode(chunk);
          const simple = !/[\uf000-\uffff]/.test(text); // (their UTF-8 begins 0xEF)
          if (decoder.checked) expect(allowed(text)).toBe(true);
          else if (allowed(text) && simple && text !== '') expect.fail(`not checked: ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('looks at every byte of a chunk longer than the scanner takes at once', () => {
    const decoder = new XmlDecoder('utf-8');
    const long = 'a'.repeat(200 * 1024);
    decoder.decode(utf8(long));
    expect(decoder.checked).toBe(true);
    decoder.decode(utf8(long.slice(0, 150 * 1024) + '\u0001' + long));
    expect(decoder.checked).toBe(false);
    decoder.decode(utf8(long + '\u000b')); // in the last, short piece
    expect(decoder.checked).toBe(false);
  });

  it('without WebAssembly (node --jitless), the tokenizer looks at the text itself: the same output and faults', () => {
    const bin = new URL('../../bin/xml2json.js', import.meta.url).pathname;
    const run = (input: string) => spawnSync(process.execPath, ['--jitless', bin, '-'], { input, encoding: 'utf8' });
    expect(run('<a>ok</a>')).toMatchObject({ status: 0, stdout: '{"a":"ok"}\n' });
    const bad = run('<a>\n ok\u0001</a>');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/xml2json: <stdin>:2:4: character U\+0001 is not allowed in XML\n/u);
  });

  it('is false for other encodings, whose bytes it does not read', () => {
    const decoder = new XmlDecoder('latin1');
    decoder.decode(utf8('<a>plain</a>'));
    expect(decoder.checked).toBe(false);
  });
});

describe('LineEnds', () => {
  it('turns CR LF and a lone CR into LF, also when CR and LF arrive in different chunks', () => {
    const lineEnds = new LineEnds();
    expect(['a\r\nb\rc\r', '\nd\r', '', 'e\n', '\n'].map((chunk) => lineEnds.normalize(chunk)).join('')).toBe('a\nb\nc\nd\ne\n\n');
  });

  it('keeps a character reference to CR, which expat keeps too', () => {
    const doc = Buffer.from('<a b="x&#13;&#10;y\r\nz">1&#13;\r\n2</a>');
    const [theirs] = judge([{ xml: doc }]);
    expect(ours({ xml: doc })).toEqual(theirs);
    expect(theirs).toMatchObject({ doc: '{"a":{"@b":"x\\r\\ny z","#text":"1\\r\\n2"}}' });
  });
});

describe('encodings, judged by xmltodict (expat)', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');
  const high = (from: number, to: number, skip: number[] = []) =>
    String.fromCharCode(...Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((b) => !skip.includes(b)));
  const accepted: Array<[string, Uint8Array]> = [
    ['UTF-8 with a BOM', Buffer.from('\uFEFF<a>é𝄞</a>', 'utf8')],
    ['UTF-16 LE with a BOM', Buffer.from('\uFEFF<?xml version="1.0" encoding="UTF-16"?><a x="é">𝄞</a>', 'utf16le')],
    ['UTF-16 BE with a BOM', Buffer.from('\uFEFF<a x="é">𝄞</a>', 'utf16le').swap16()],
    ['UTF-16 LE without a BOM, known by its "<?"', Buffer.from('<?xml version="1.0" encoding="UTF-16LE"?><a>é</a>', 'utf16le')],
    ['ISO-8859-1: every byte from 0x80 to 0xFF', latin1(`<?xml version="1.0" encoding="ISO-8859-1"?><a>${high(0x80, 0xff)}</a>`)],
    ['latin1 and l1 are ISO-8859-1', latin1(`<?xml version='1.0' encoding='l1'?><a b="${high(0xc0, 0xff)}">${high(0x80, 0x9f)}</a>`)],
    ['windows-1252: every defined byte from 0x80 to 0x9F', latin1(`<?xml version="1.0" encoding="windows-1252"?><a>${high(0x80, 0xff, [0x81, 0x8d, 0x8f, 0x90, 0x9d])}</a>`)],
    ['cp1252 is windows-1252', latin1('<?xml version="1.0" encoding="cp1252"?><a>\x80\x99</a>')],
    ['US-ASCII', latin1('<?xml version="1.0" encoding="US-ASCII"?><a>plain &#233;</a>')],
  ];
  const rejected: Array<[string, Uint8Array]> = [
    ['an invalid UTF-8 byte', latin1('<a>ok\xff</a>')],
    ['an overlong UTF-8 sequence', latin1('<a>\n\nok\xc0\x80</a>')],
    ['a UTF-8 encoded surrogate', latin1('<a x="1">\xed\xa0\x80</a>')],
    ['a truncated UTF-8 sequence inside the document', latin1('<a>\xe2\x82</a>')],
    ...[0x81, 0x8d, 0x8f, 0x90, 0x9d].map((b): [string, Uint8Array] => [`windows-1252's undefined byte 0x${b.toString(16)}`, latin1(`<?xml version="1.0" encoding="windows-1252"?>\n<a>x${String.fromCharCode(b)}</a>`)]),
    ['a byte above 0x7F in US-ASCII', latin1('<?xml version="1.0" encoding="US-ASCII"?>\n<a>\xe9</a>')],
  ];

  it.each(accepted)('%s: the same JSON as xmltodict, in one chunk or a byte at a time', (_name, xml) => {
    const [theirs] = judge([{ xml }]);
    expect(theirs).toEqual(ours({ xml }));
    expect(theirs!.ok).toBe(true);
    let bytewise = '';
    parseSync([...xml].map((b) => Uint8Array.of(b)), pipeline({ format: 'json' }, (text) => (bytewise += text)));
    expect(bytewise.trimEnd()).toBe(theirs!.ok && theirs!.doc);
  });

  it.each(rejected)('%s: an XML_ENCODING error at the line and column expat gives', (_name, xml) => {
    const [theirs] = judge([{ xml }]);
    const where = /line (\d+), column (\d+)/.exec(theirs!.ok ? '' : theirs!.error)!;
    const expected = `${where[1]}:${Number(where[2]) + 1}`; // expat's columns are 0-based
    for (const chunks of [[xml], [...xml].map((b) => Uint8Array.of(b))]) {
      try {
        parseSync(chunks, pipeline({ format: 'json' }, () => undefined));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(XmlSyntaxError);
        expect((error as XmlSyntaxError).code).toBe('XML_ENCODING');
        expect(`${(error as XmlSyntaxError).line}:${(error as XmlSyntaxError).column}`).toBe(expected);
      }
    }
  });

  it('an unpaired surrogate in UTF-16 is an XML_ENCODING error (expat rejects it too)', () => {
    const xml = Buffer.from('\uFEFF<a>\uD800</a>', 'utf16le');
    expect(judge([{ xml }])[0]!.ok).toBe(false);
    expect(() => parseSync([xml], pipeline({ format: 'json' }, () => undefined))).toThrow(/bytes not valid utf-16le/);
  });

  it('"UTF-16" declared in a document without a UTF-16 byte order mark is an error, as in expat, placed at the encoding name', () => {
    const xml = latin1('<?xml version="1.0" encoding="UTF-16"?><a>x</a>');
    expect(judge([{ xml }])[0]!.ok).toBe(false);
    expect(() => parseSync([xml], pipeline({ format: 'json' }, () => undefined))).toThrow(/1:31: the XML declaration says UTF-16, but/);
  });
});

describe('other single-byte encodings, every byte judged by xmltodict (Python\'s codecs)', () => {
  const labels = [
    'ISO-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'ISO_8859-7', 'iso8859-8', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'ISO-8859-15',
    'KOI8-R', 'koi8-u', 'windows-1250', 'cp1251', 'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'macintosh',
    'ISO-8859-9', 'iso8859_11', 'ISO-8859-16', 'windows-1253', 'cp437', 'IBM437',
  ];
  // Which high bytes Python decodes, per encoding: the oracle's answer, not ours.
  const python = spawnSync('/usr/bin/python3', ['-c', `
import json, sys
out = {}
for label in json.loads(sys.argv[1]):
    ok = []
    for b in range(0x80, 0x100):
        try:
            bytes([b]).decode(label)
            ok.append(b)
        except UnicodeDecodeError:
            pass
    out[label] = ok
print(json.dumps(out))`, JSON.stringify(labels)], { encoding: 'utf8' });
  const valid = JSON.parse(python.stdout) as Record<string, number[]>;
  const doc = (label: string, bytes: number[]) =>
    Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${label}"?>\n<a b="`), Buffer.from(bytes), Buffer.from('">'), Buffer.from(bytes), Buffer.from('</a>')]);

  it.each(labels)('%s: every byte it defines reads as xmltodict reads it; every other byte is an error where expat puts it', (label) => {
    const good = valid[label]!;
    const bad = Array.from({ length: 128 }, (_, i) => 0x80 + i).filter((b) => !good.includes(b));
    const requests = [{ xml: doc(label, good) }, ...bad.map((b) => ({ xml: doc(label, [0x41, b]) }))];
    const verdicts = judge(requests);
    expect(ours(requests[0]!)).toEqual(verdicts[0]);
    expect(verdicts[0]!.ok).toBe(true);
    bad.forEach((b, i) => {
      const theirs = verdicts[i + 1]!;
      const where = /line (\d+), column (\d+)/.exec(theirs.ok ? '' : theirs.error)!;
      try {
        parseSync([requests[i + 1]!.xml], pipeline({ format: 'json' }, () => undefined));
        expect.unreachable(`byte 0x${b.toString(16)} accepted`);
      } catch (error) {
        expect(error).toMatchObject({ code: 'XML_ENCODING', line: Number(where[1]), column: Number(where[2]) + 1 });
      }
    });
  });
});

describe('a byte order mark and a declaration that disagree (XML 1.0 §4.3.3: a fatal error)', () => {
  const decodeFault = (doc: Uint8Array): string => {
    try {
      decodeAll([doc]);
      return 'decoded';
    } catch (error) {
      return `${(error as XmlSyntaxError).code} ${(error as XmlSyntaxError).line}:${(error as XmlSyntaxError).column}`;
    }
  };
  const utf16le = (text: string) => Buffer.from('\uFEFF' + text, 'utf16le');

  it('is an XML_ENCODING error at the encoding name, in any chunks', () => {
    const declared = '<?xml version="1.0" encoding="iso-8859-1"?><a/>'; // the name starts at column 31
    expect(decodeFault(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(declared)))).toBe('XML_ENCODING 1:31');
    expect(decodeFault(utf16le(declared.replace('iso-8859-1', 'utf-8')))).toBe('XML_ENCODING 1:31');
    const split = Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(declared));
    expect(() => decodeAll([split.subarray(0, 2), split.subarray(2, 20), split.subarray(20)])).toThrow(/says encoding "iso-8859-1", but the document starts with a UTF-8 byte order mark/);
  });

  it('agreeing, or without a declared encoding, is read by the mark', () => {
    expect(decodeFault(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8('<?xml version="1.0" encoding="UTF-8"?><a/>')))).toBe('decoded');
    expect(decodeFault(utf16le('<?xml version="1.0" encoding="UTF-16"?><a/>'))).toBe('decoded');
    expect(decodeFault(utf16le('<?xml version="1.0" encoding="utf-16le"?><a/>'))).toBe('decoded');
    expect(decodeFault(utf16le('<?xml version="1.0"?><a/>'))).toBe('decoded');
  });
});
