// Bytes → text for JSON, which is UTF-8 (RFC 8259): chunk by chunk, a character cut between two chunks
// kept for the next, a BOM at the start dropped, and bytes that are not UTF-8 placed at their line and
// column rather than read as U+FFFD.

import { isUtf8 } from 'node:buffer';
import { ToXmlError } from './errors.js';

/** Thrown by `decode()` at bytes that are not UTF-8: `text` came before them and is still to be read, then `fault`. */
export class InvalidUtf8 extends Error {
  constructor(readonly text: string, readonly fault: ToXmlError) {
    super(fault.message);
  }
}

export class Utf8Text {
  private carry: Uint8Array | undefined; // the start of a character whose end is in the next chunk
  private first = true;
  private line = 1; // where the text decoded so far ends
  private column = 1;

  constructor(private readonly file: string | undefined) {}

  /** The text of one more chunk (a string passes as it is). Throws InvalidUtf8 with the text before bad bytes. */
  decode(chunk: string | Uint8Array): string {
    if (typeof chunk === 'string') return this.taken(chunk);
    const bytes = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const end = completeEnd(bytes);
    const whole = bytes.subarray(0, end);
    this.carry = end < bytes.length ? Uint8Array.prototype.slice.call(bytes, end) : undefined; // a copy: the chunk's bytes may be read into again
    if (isUtf8(whole)) return this.taken(Buffer.from(whole.buffer, whole.byteOffset, whole.length).toString('utf8'));
    const at = firstInvalid(whole);
    const before = this.taken(Buffer.from(whole.subarray(0, at)).toString('utf8'));
    const byte = whole[at]!.toString(16).toUpperCase().padStart(2, '0');
    throw new InvalidUtf8(before, new ToXmlError('JSON_ENCODING', `bytes that are not UTF-8 (0x${byte}); JSON is UTF-8`, { file: this.file, line: this.line, column: this.column }));
  }

  /** At the end of the input: a character cut short is a fault. */
  end(): void {
    if (this.carry !== undefined) throw new ToXmlError('JSON_ENCODING', 'the input ends inside a UTF-8 character', { file: this.file, line: this.line, column: this.column });
  }

  /** Text read: a BOM at the very start dropped, and where it ends counted. */
  private taken(text: string): string {
    if (this.first && text !== '') {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const last = text.lastIndexOf('\n');
    if (last === -1) this.column += text.length;
    else {
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.line++;
      this.column = text.length - last;
    }
    return text;
  }
}

/** Where the last whole character of `bytes` ends: before a character that the next chunk completes. */
function completeEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i]!;
    if (b < 0x80) return bytes.length;
    if (b >= 0xc2 && b <= 0xf4) return i + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > bytes.length ? i : bytes.length;
    if (b >= 0xc0) return bytes.length; // never a lead byte: not UTF-8, which the check then says
  }
  return bytes.length; // continuation bytes only: not UTF-8, which the check then says
}

/** The offset of the first byte that does not begin a valid UTF-8 character. */
function firstInvalid(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return i;
}
