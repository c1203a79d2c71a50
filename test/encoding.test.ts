// --encoding NAME and the `encoding` option: a document that lies about its encoding is read as NAME,
// whatever its declaration says — judged by xmltodict.parse(xml, encoding=NAME), which does the same.
import { describe, expect, it } from 'vitest';
import { convert } from '../src/api.js';
import { parseSync } from '../src/driver.js';
import { pipeline } from '../src/chain.js';
import { runBin } from './helpers/run-bin.js';
import { judge, ours } from './xmltodict/oracle.js';

const bytes = (text: string, encoding: 'latin1' | 'utf16le' = 'latin1') => Buffer.from(text, encoding);

// Each: what the file says, what its bytes are, and the encoding to read them in.
const liars: Array<[string, Uint8Array, string]> = [
  ['declared UTF-8, written in ISO-8859-1', bytes('<?xml version="1.0" encoding="UTF-8"?><a b="\xe9">caf\xe9 \xa0\xff</a>'), 'ISO-8859-1'],
  ['declared ISO-8859-1, written in windows-1252 (the euro sign, curly quotes)', bytes('<?xml version="1.0" encoding="ISO-8859-1"?><a>\x80 \x93q\x94</a>'), 'windows-1252'],
  ['no declaration, written in cp437 (a DOS export)', bytes('<a>\xc9\xcd\xbb \x82t\x82</a>'), 'cp437'],
  ['declared UTF-8, written in ISO-8859-9', bytes('<?xml version="1.0" encoding="utf-8"?><a>\xd0\xdd\xde \xf0\xfd\xfe</a>'), 'ISO-8859-9'],
  ['declared windows-1252, written in UTF-8', Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a>€ é</a>'), 'UTF-8'],
];

describe('the encoding option: the bytes as NAME, whatever the declaration says', () => {
  it.each(liars)('%s: the JSON xmltodict.parse(encoding=NAME) gives, in one chunk or a byte at a time', (_what, xml, encoding) => {
    const [theirs] = judge([{ xml, opts: { encoding } }]);
    expect(theirs!.ok).toBe(true);
    expect(ours({ xml, opts: { encoding } })).toEqual(theirs);
    let bytewise = '';
    parseSync([...xml].map((b) => Uint8Array.of(b)), pipeline({ format: 'json' }, (text) => (bytewise += text)), { encoding });
    expect(bytewise.trimEnd()).toBe(theirs!.ok && theirs!.doc);
    const without = (() => {
      try {
        return JSON.stringify(convert(xml));
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(without).not.toBe(theirs!.ok && theirs!.doc); // without it: an encoding error, or other characters
  });

  it('a byte order mark is dropped, whatever it says (expat reads it as text before the root)', () => {
    expect(convert(bytes('\xef\xbb\xbf<a>caf\xe9</a>'), { encoding: 'latin1' })).toEqual({ a: 'café' });
    expect(convert(bytes('\xff\xfe<a>\xe9</a>'), { encoding: 'ISO-8859-1' })).toEqual({ a: 'é' });
    expect(convert(bytes('\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>', 'utf16le'), { encoding: 'UTF-16LE' })).toEqual({ a: 'é' });
    expect(convert(bytes('<a/>'), { encoding: 'cp437' })).toEqual({ a: null }); // shorter than a mark
  });

  it('bytes invalid in NAME are still an XML_ENCODING error at their place', () => {
    expect(() => convert(bytes('<a>\n x\x90</a>'), { encoding: 'windows-1252' })).toThrow(expect.objectContaining({ code: 'XML_ENCODING', line: 2, column: 3 }));
  });

  it('an encoding it does not read is a TypeError naming the option', () => {
    expect(() => convert('<a/>', { encoding: 'ebcdic' })).toThrow(/^convert\(\): option encoding: expected an encoding the decoder reads .*, got "ebcdic"$/);
  });
});

describe('xml2json --encoding NAME', () => {
  it('reads a file that lies about its encoding', async () => {
    const xml = bytes('<?xml version="1.0" encoding="UTF-8"?><r><a>caf\xe9</a></r>');
    expect((await runBin([], xml)).code).toBe(1);
    expect(await runBin(['--encoding', 'ISO-8859-1', '-e', 'a', '-f', 'ndjson'], xml)).toEqual({ code: 0, stdout: '"café"\n', stderr: '' });
  });

  it('a name it does not read is bad usage: exit 2, one line', async () => {
    const ran = await runBin(['--encoding', 'shift_jis'], '<a/>');
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')[0]).toMatch(/^xml2json: --encoding "shift_jis": not an encoding xml2json reads/u);
  });
});

describe('chunks whose memory is read into again (a reader that reuses its buffers, as xml2json does)', () => {
  it('a character cut by a chunk boundary is kept whole, though the chunk is overwritten once written', () => {
    const whole = Buffer.from('<r><v>é€𝄞</v><v>ok</v></r>');
    let text = '';
    const chain = pipeline({ element: 'v', format: 'ndjson' }, (piece) => (text += piece));
    const shared = new Uint8Array(4); // every chunk read into the same 4 bytes: each boundary cuts é, € or 𝄞 somewhere
    const chunks = function* () {
      for (let at = 0; at < whole.length; at += shared.length) {
        const part = whole.subarray(at, at + shared.length);
        shared.set(part);
        yield shared.subarray(0, part.length);
        shared.fill(0x3f); // '?' where the bytes were: what a read into this memory would leave
      }
    };
    parseSync(chunks(), chain);
    expect(text).toBe('"é€𝄞"\n"ok"\n');
  });
});
