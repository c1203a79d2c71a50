// ① bytes → text, before the parser. Incremental: a character split across two chunks comes out
// whole, because each chunk is cut after its last complete character and the rest is carried over.
// The encoding is found as XML 1.0 Appendix F says: a BOM, else the XML declaration, else UTF-8.
// Invalid bytes are never replaced: the text before them is returned, then an XML_ENCODING error.
// UTF-8 bytes are also scanned for characters XML forbids, which spares the tokenizer its own scan.

import { XmlSyntaxError } from '../errors.js';

/** Thrown by `decode()` when bytes are invalid; `text` is what came before them, still to be parsed. */
export class InvalidBytes extends Error {
  constructor(readonly text: string, readonly reason: string) {
    super(reason);
  }
}

interface Codec {
  readonly name: string;
  /** how many leading bytes of `bytes` hold complete characters */
  complete(bytes: Uint8Array): number;
  /** decodes complete characters; throws (any error) on invalid bytes */
  decode(bytes: Uint8Array): string;
}

function textDecoderCodec(label: string, complete: (bytes: Uint8Array) => number): Codec {
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  return { name: label, complete, decode: (bytes) => decoder.decode(bytes) };
}

/** Cuts before a UTF-8 sequence whose last bytes have not arrived yet. */
function completeUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n; // ASCII: everything before it is complete
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < need ? n - back : n;
    }
  }
  return n;
}

function completeUtf16(littleEndian: boolean) {
  return (bytes: Uint8Array): number => {
    const even = bytes.length & ~1;
    if (even < 2) return even;
    const high = littleEndian ? bytes[even - 1]! : bytes[even - 2]!;
    return high >= 0xd8 && high <= 0xdb ? even - 2 : even; // a lone high surrogate waits for its pair
  };
}

const all = (bytes: Uint8Array) => bytes.length;

function singleByteCodec(name: string, invalid: (byte: number) => boolean, table: (bytes: Uint8Array) => string): Codec {
  return {
    name,
    complete: all,
    decode(bytes) {
      const bad = bytes.findIndex(invalid);
      if (bad >= 0) throw new InvalidBytes(table(bytes.subarray(0, bad)), `byte 0x${bytes[bad]!.toString(16).toUpperCase()} is not valid ${name}`);
      return table(bytes);
    },
  };
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
// windows-1252 is ISO-8859-1 but for 0x80–0x9F. By hand: Node 20's TextDecoder drops some of these bytes.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
// Bytes that windows-1252 leaves undefined; Python's codec (and so xmltodict) rejects them.
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
const cp1252 = (bytes: Uint8Array) => latin1(bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);

function codecFor(label: string): Codec | undefined {
  switch (label.toLowerCase()) {
    case 'utf-8':
    case 'utf8':
      return textDecoderCodec('utf-8', completeUtf8);
    case 'utf-16le':
      return textDecoderCodec('utf-16le', completeUtf16(true));
    case 'utf-16be':
      return textDecoderCodec('utf-16be', completeUtf16(false));
    case 'iso-8859-1':
    case 'iso_8859-1':
    case 'iso8859-1':
    case 'latin1':
    case 'latin-1':
    case 'l1':
      // Not TextDecoder's 'iso-8859-1', which is windows-1252 under another name.
      return singleByteCodec('ISO-8859-1', () => false, latin1);
    case 'us-ascii':
    case 'ascii':
      return singleByteCodec('US-ASCII', (b) => b > 0x7f, latin1);
    case 'windows-1252':
    case 'cp1252':
      return singleByteCodec('windows-1252', (b) => CP1252_UNDEFINED.has(b), cp1252);
    default:
      return otherSingleByte(label.toLowerCase());
  }
}

// Other single-byte encodings that Python's codecs (and so xmltodict) read. By TextDecoder's tables,
// which agree with Python's byte for byte, except that TextDecoder maps bytes that windows-125x
// leaves undefined to C1 controls, which Python rejects; or, where TextDecoder has no table or reads
// the name as another encoding (iso-8859-9 as windows-1254, -11 as windows-874, windows-1253's 0xAA
// and 0xD2), by the tables below.
const OTHER_SINGLE_BYTE = /^(?:iso[-_]?8859[-_]?(?:2|3|4|5|6|7|8|9|10|11|13|14|15|16)|koi8[-_][ru]|(?:windows-|cp)125[0-8]|macintosh|cp437|ibm437)$/;

// Bytes 0x80–0xFF, as Python's codecs read them (the tests check each byte against Python); U+FFFE: undefined.
const C1 = String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 0x80 + i)); // the ISO encodings' 0x80–0x9F
const HIGH_HALVES: Readonly<Record<string, string>> = {
  'iso-8859-9': `${C1}\u00A0¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏĞÑÒÓÔÕÖ×ØÙÚÛÜİŞßàáâãäåæçèéêëìíîïğñòóôõö÷øùúûüışÿ`,
  'iso-8859-11': `${C1}\u00A0กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮฯะ\u0E31าำ\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E3A\uFFFE\uFFFE\uFFFE\uFFFE฿เแโใไๅๆ\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C\u0E4D\u0E4E๏๐๑๒๓๔๕๖๗๘๙๚๛\uFFFE\uFFFE\uFFFE\uFFFE`,
  'iso-8859-16': `${C1}\u00A0ĄąŁ€„Š§š©Ș«Ź\u00ADźŻ°±ČłŽ”¶·žčș»ŒœŸżÀÁÂĂÄĆÆÇÈÉÊËÌÍÎÏĐŃÒÓÔŐÖŚŰÙÚÛÜĘȚßàáâăäćæçèéêëìíîïđńòóôőöśűùúûüęțÿ`,
  'windows-1253': '€\uFFFE‚ƒ„…†‡\uFFFE‰\uFFFE‹\uFFFE\uFFFE\uFFFE\uFFFE\uFFFE‘’“”•–—\uFFFE™\uFFFE›\uFFFE\uFFFE\uFFFE\uFFFE\u00A0΅Ά£¤¥¦§¨©\uFFFE«¬\u00AD®―°±²³΄µ¶·ΈΉΊ»Ό½ΎΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡ\uFFFEΣΤΥΦΧΨΩΪΫάέήίΰαβγδεζηθικλμνξοπρςστυφχψωϊϋόύώ\uFFFE',
  cp437: 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0',
};

function otherSingleByte(label: string): Codec | undefined {
  if (!OTHER_SINGLE_BYTE.test(label)) return undefined;
  const canonical = label === 'ibm437' ? 'cp437' : label.replace(/^cp(?=125)/, 'windows-').replace(/^iso[-_]?8859[-_]?/, 'iso-8859-').replace('_', '-');
  const high = HIGH_HALVES[canonical];
  const decoder = high === undefined ? new TextDecoder(canonical, { fatal: true }) : undefined;
  const undefinedC1 = canonical.startsWith('windows-');
  // One table of 256 code units, -1 for a byte the encoding does not define.
  const table = Int32Array.from({ length: 256 }, (_, byte) => {
    if (byte < 0x80) return byte;
    if (high !== undefined) return high.charCodeAt(byte - 0x80) === 0xfffe ? -1 : high.charCodeAt(byte - 0x80);
    try {
      const c = decoder!.decode(Uint8Array.of(byte)).charCodeAt(0);
      return undefinedC1 && c >= 0x80 && c <= 0x9f ? -1 : c;
    } catch {
      return -1;
    }
  });
  const name = decoder?.encoding ?? canonical;
  const decode = (bytes: Uint8Array): string => {
    const units = new Uint16Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const c = table[bytes[i]!]!;
      if (c < 0) throw new InvalidBytes(decode(bytes.subarray(0, i)), `byte 0x${bytes[i]!.toString(16).toUpperCase()} is not valid ${name}`);
      units[i] = c;
    }
    return Buffer.from(units.buffer, 0, units.byteLength).toString('utf16le');
  };
  return { name, complete: all, decode };
}

const SNIFF_LIMIT = 1024; // an XML declaration is far shorter than this

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Picks the codec from the first bytes; returns undefined while more bytes are needed. */
function sniff(head: Uint8Array, final: boolean): { codec: Codec; skip: number } | undefined {
  const bom = byteOrderMark(head);
  if (bom !== undefined) {
    // A declaration that names another encoding than the mark's is a fatal error (§4.3.3).
    const codec = codecFor(bom.encoding)!;
    const text = head.subarray(bom.skip, bom.skip + SNIFF_LIMIT);
    const declaration = bom.encoding === 'utf-8' ? latin1(text) : new TextDecoder(bom.encoding).decode(text.subarray(0, text.length & ~1));
    if (!declaration.includes('?>') && !final && head.length < SNIFF_LIMIT) return undefined;
    const declared = declaredEncoding(declaration);
    if (declared !== undefined && !bom.agrees.test(declared.name)) {
      throw new XmlSyntaxError(`the XML declaration says encoding "${declared.name}", but the document starts with a ${codec.name.toUpperCase()} byte order mark`, { line: 1, column: declared.at + 1 }, 'XML_ENCODING');
    }
    return { codec, skip: bom.skip };
  }
  if (startsWith(head, [0x3c, 0x00, 0x3f, 0x00])) return { codec: codecFor('utf-16le')!, skip: 0 };
  if (startsWith(head, [0x00, 0x3c, 0x00, 0x3f])) return { codec: codecFor('utf-16be')!, skip: 0 };
  if (head.length < 5 && !final) return undefined;
  if (!startsWith(head, [0x3c, 0x3f, 0x78, 0x6d, 0x6c])) return { codec: codecFor('utf-8')!, skip: 0 }; // no '<?xml'
  const ascii = latin1(head.subarray(0, SNIFF_LIMIT));
  if (!ascii.includes('?>') && !final && head.length < SNIFF_LIMIT) return undefined;
  const declared = declaredEncoding(ascii);
  if (declared === undefined) return { codec: codecFor('utf-8')!, skip: 0 };
  const position = { line: 1, column: declared.at + 1 };
  if (/^utf-?16/i.test(declared.name)) throw new XmlSyntaxError(`the XML declaration says ${declared.name}, but the document does not start with a UTF-16 byte order mark`, position, 'XML_ENCODING');
  const codec = codecFor(declared.name);
  if (codec === undefined) throw new XmlSyntaxError(`unsupported encoding "${declared.name}" in the XML declaration`, position, 'XML_ENCODING');
  return { codec, skip: 0 };
}

const BOMS = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8', agrees: /^utf-?8$/i },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le', agrees: /^utf-?16(?:-?le)?$/i },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be', agrees: /^utf-?16(?:-?be)?$/i },
];

function byteOrderMark(head: Uint8Array): { encoding: string; skip: number; agrees: RegExp } | undefined {
  const found = BOMS.find((bom) => startsWith(head, bom.bytes));
  return found === undefined ? undefined : { encoding: found.encoding, skip: found.bytes.length, agrees: found.agrees };
}

/** The encoding an XML declaration at the start of `text` names, and where its name starts. */
function declaredEncoding(text: string): { name: string; at: number } | undefined {
  const end = text.indexOf('?>');
  const declared = /^(<\?xml\s[^?]*?\bencoding\s*=\s*(["']))([A-Za-z][A-Za-z0-9._-]*)\2/.exec(text.slice(0, end < 0 ? undefined : end));
  return declared === null ? undefined : { name: declared[3]!, at: declared[1]!.length };
}

/** The encoding given, whatever the document says: only a byte order mark is looked for, to be dropped. */
function overridden(codec: Codec, head: Uint8Array, final: boolean): { codec: Codec; skip: number } | undefined {
  if (head.length < 3 && !final) return undefined; // the longest mark is 3 bytes
  return { codec, skip: byteOrderMark(head)?.skip ?? 0 };
}

/** Whether `XmlDecoder` reads this encoding (by any of its names: `latin1`, `cp1252`, `UTF-16LE`). */
export function isEncoding(label: string): boolean {
  return codecFor(label) !== undefined;
}

/** bytes[from…) in memory of their own: the chunk's buffer may be read into again (fileChunks), and a Buffer's slice() is a view. */
function copy(bytes: Uint8Array, from: number): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, from);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Decodes a byte stream chunk by chunk. */
export class XmlDecoder {
  private codec: Codec | undefined;
  private pending: Uint8Array = new Uint8Array(0);
  private readonly given: Codec | undefined;
  private mark = 0;
  /** the text decode() or end() returned last holds no character XML forbids, as its bytes show (UTF-8 only): the tokenizer need not look again */
  checked = false;

  /**
   * `encoding`: read the bytes in this encoding, whatever the BOM and the XML declaration say (a
   * document that lies about its encoding); a leading byte order mark is dropped. Throws TypeError
   * for an encoding it does not read (see `isEncoding`).
   */
  constructor(encoding?: string) {
    if (encoding === undefined) return;
    this.given = codecFor(encoding);
    if (this.given === undefined) throw new TypeError(`unknown encoding "${encoding}"`);
  }

  /** The encoding in use, once known. */
  get encoding(): string | undefined {
    return this.codec?.name;
  }

  /** Bytes of the byte order mark dropped before the text (for a byte offset: --errors). */
  get markLength(): number {
    return this.mark;
  }

  /** Text for these bytes; characters cut at the end wait for the next chunk. */
  decode(chunk: Uint8Array): string {
    return this.run(concat(this.pending, chunk), false);
  }

  /** Text for the bytes still held; an incomplete character at the very end is an error. */
  end(): string {
    return this.run(this.pending, true);
  }

  private run(bytes: Uint8Array, final: boolean): string {
    if (this.codec === undefined) {
      const found = this.given === undefined ? sniff(bytes, final) : overridden(this.given, bytes, final);
      if (found === undefined) {
        this.pending = copy(bytes, 0);
        return '';
      }
      this.codec = found.codec;
      this.mark = found.skip;
      bytes = bytes.subarray(found.skip);
    }
    const cut = this.codec.complete(bytes);
    this.pending = copy(bytes, cut);
    const text = this.decodeOrLocate(bytes.subarray(0, cut));
    this.checked = this.codec.name === 'utf-8' && allowedUtf8(bytes.subarray(0, cut)); // (after decoding: the bytes are valid)
    if (final && this.pending.length > 0) {
      throw new InvalidBytes(text, `the input ends inside a ${this.codec.name} character`);
    }
    return text;
  }

  private decodeOrLocate(bytes: Uint8Array): string {
    const codec = this.codec!;
    try {
      return codec.decode(bytes);
    } catch (error) {
      if (error instanceof InvalidBytes) throw error;
      // Rare path: find the longest valid prefix, so the parser can say where the bad bytes are.
      let good = 0;
      let bad = bytes.length;
      while (bad - good > 1) {
        const mid = (good + bad) >>> 1;
        if (decodes(codec, bytes.subarray(0, codec.complete(bytes.subarray(0, mid))))) good = mid;
        else bad = mid;
      }
      const valid = bytes.subarray(0, codec.complete(bytes.subarray(0, good)));
      throw new InvalidBytes(codec.decode(valid), `bytes not valid ${codec.name}`);
    }
  }
}

// Valid UTF-8 whose bytes hold no C0 control but tab, LF and CR, and no 0xEF (the lead byte of U+FFFE
// and U+FFFF; of a few other characters too), decodes to text that §2.2 Char allows throughout: a
// surrogate cannot be encoded in it. Looked for 16 bytes at a time with WebAssembly's SIMD: a 64 KiB
// chunk copied and scanned in ~10 µs, against ~40 µs for the tokenizer's regular expression on its text.
const SCAN = 64 * 1024; // bytes scanned at a time: the module's memory holds a piece and its padding
let scanner: ReturnType<typeof compileScanner> | null = null; // compiled when first used

/** Whether valid UTF-8 bytes decode to characters XML allows (false: they may not; the text is looked at). */
function allowedUtf8(bytes: Uint8Array): boolean {
  scanner ??= compileScanner();
  if (scanner === undefined) return false;
  const { memory, flagged } = scanner;
  for (let at = 0; at < bytes.length; at += SCAN) {
    const piece = bytes.subarray(at, at + SCAN);
    const padded = (piece.length + 15) & ~15;
    memory.set(piece);
    memory.fill(0x20, piece.length, padded); // spaces: allowed
    if (flagged(padded) !== 0) return false;
  }
  return true;
}

/** The scanner's module, written out by hand (what each instruction does beside it); undefined without WebAssembly (node --jitless) or its SIMD. */
function compileScanner(): { memory: Uint8Array; flagged: (length: number) => number } | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  const leb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >>> 7)]);
  const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
  const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
  const LENGTH = 0, AT = 1, BYTES = 2, FOUND = 3; // the function's parameter and locals
  const get = (local: number) => [0x20, local]; // local.get
  const set = (local: number) => [0x21, local]; // local.set
  const each = (byte: number) => [0xfd, 0x0c, ...new Array<number>(16).fill(byte)]; // v128.const: 16 × byte
  const [ltU, eq, or, andNot, anyTrue] = [[0xfd, 0x26], [0xfd, 0x23], [0xfd, 0x50], [0xfd, 0x4f], [0xfd, 0x53]]; // i8x16.lt_u, i8x16.eq, v128.or, v128.andnot, v128.any_true
  // (func $flagged (param $length i32) (result i32): 1 when bytes [0, length) hold one XML forbids, or 0xEF
  const body = [
    0x02, 0x01, 0x7f, 0x02, 0x7b, // (local $at i32) (local $bytes v128) (local $found v128)
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(AT), ...get(LENGTH), 0x4f, 0x0d, 0x01, // br_if (at >= length) out of the block
    ...get(AT), 0xfd, 0x00, 0x04, 0x00, ...set(BYTES), // bytes = v128.load(at)
    ...get(FOUND),
    ...get(BYTES), ...each(0x20), ...ltU, // below 0x20 …
    ...get(BYTES), ...each(0x09), ...eq, ...get(BYTES), ...each(0x0a), ...eq, ...or, ...get(BYTES), ...each(0x0d), ...eq, ...or,
    ...andNot, ...or, // … but tab, LF, CR: found |= control & ~(tab | LF | CR)
    ...get(BYTES), ...each(0xef), ...eq, ...or, ...set(FOUND), // found |= bytes == 0xEF
    ...get(AT), 0x41, 0x10, 0x6a, ...set(AT), // at += 16
    0x0c, 0x00, 0x0b, 0x0b, // br to the loop; end, end
    ...get(FOUND), ...anyTrue, 0x0b, // any lane found; end
  ];
  const module = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]), // one type: (i32) → i32
    ...section(3, [0x01, 0x00]), // one function, of that type
    ...section(5, [0x01, 0x00, 0x02]), // (memory 2): two pages, a piece and its padding
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('flagged'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
  if (!WebAssembly.validate(module)) return undefined;
  try {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(module));
    return { memory: new Uint8Array(exports.memory.buffer), flagged: exports.flagged };
  } catch {
    return undefined; // a host that refuses to compile WebAssembly: the tokenizer looks at the text
  }
}

// What this file uses of the WebAssembly API (TypeScript declares it only in the DOM's lib).
declare const WebAssembly: {
  validate(module: Uint8Array): boolean;
  Module: new (module: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; flagged(length: number): number } };
};

function decodes(codec: Codec, bytes: Uint8Array): boolean {
  try {
    codec.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Text as the tokenizer reads it. XML's end-of-line handling (XML 1.0 §2.11): CR LF and a lone CR
 * become LF, as expat does, also when CR and LF arrive in different chunks; a character reference
 * `&#13;` is untouched: it keeps its CR. And a surrogate pair cut between two string chunks waits
 * to be whole (the decoders never cut one).
 */
export class LineEnds {
  private afterCr = false;
  private high = ''; // a high surrogate that ended the last chunk

  normalize(text: string): string {
    if (this.high !== '') {
      text = this.high + text;
      this.high = '';
    }
    if (this.afterCr && text.charCodeAt(0) === 0x0a) text = text.slice(1);
    if (text.length > 0) this.afterCr = false;
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.high = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text.indexOf('\r') < 0) return text;
    this.afterCr = text.charCodeAt(text.length - 1) === 0x0d;
    return text.replace(CR_LF, '\n');
  }

  /** What is still held at the end of the input: a lone high surrogate, which the tokenizer rejects. */
  end(): string {
    const rest = this.high;
    this.high = '';
    return rest;
  }
}
const CR_LF = /\r\n?/g;
