import { describe, expect, it } from 'vitest';
import { InvalidBytes, XmlDecoder } from '../../src/parse/decode.js';

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
