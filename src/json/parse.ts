// JSON text → a value, as Python's json.loads reads it for xmltodict: every number keeps what its text
// says (`1.0` is a float, `12345678901234567890` every digit: a JsonNumber where a JS number would not),
// `__proto__` is an ordinary key, and a fault is placed at its line and column. No recursion: a
// document 100,000 levels deep is read from a stack of open containers.

import { setOwn } from '../events.js';
import { ToXmlError } from './errors.js';
import { type JsonNumber, numberOf } from './number.js';

export type JsonValue = string | number | boolean | null | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** A plain object (JSON's), not a list, a JsonNumber or another class's instance. */
export function isObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Where a text is, for the positions of its faults: its file, and the line it starts on. */
export interface TextPlace {
  file?: string | undefined;
  /** @default 1 */
  line?: number | undefined;
}

// Character codes.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: Array<[string, JsonValue]> = [['true', true], ['false', false], ['null', null]];

/** Keys lately read, by length and first character (shared: keys repeat from one record to the next). */
const KEYS: Array<string | undefined> = new Array(1024);

/** An array or object being read; `key` is the object's key whose value comes next. */
type Container = { array: JsonValue[]; object?: undefined; key?: undefined } | { array?: undefined; object: Record<string, JsonValue>; key: string };

/** Reads one JSON value (white space around it allowed); throws a ToXmlError (JSON_SYNTAX) at the fault. */
export function parseJson(text: string, place: TextPlace = {}): JsonValue {
  return new Reader(text, place).document();
}

/** One text being read; `i` is where (fields, not closures' variables: the loops below keep them in registers). */
class Reader {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly place: TextPlace,
  ) {}

  document(): JsonValue {
    const text = this.text;
    const stack: Container[] = [];
    let value: JsonValue;
    for (;;) {
      // A value starts here.
      this.space();
      const c = text.charCodeAt(this.i);
      if (c === QUOTE) value = this.string();
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.i++;
        this.space();
        if (text.charCodeAt(this.i) === c + 2) {
          this.i++; // {} or []
          value = c === OPEN_BRACE ? {} : [];
        } else if (c === OPEN_BRACKET) {
          stack.push({ array: [] });
          continue;
        } else {
          stack.push({ object: {}, key: this.key() });
          continue;
        }
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) value = this.number();
      else value = this.literal();
      // The value is complete: it goes into the innermost open container, which may then be complete too.
      for (;;) {
        const open = stack[stack.length - 1];
        if (open === undefined) {
          this.space();
          if (this.i < text.length) this.fail(`more text after the JSON value: ${shown(text, this.i)}`);
          return value;
        }
        if (open.array !== undefined) open.array.push(value);
        else setOwn(open.object, open.key, value);
        this.space();
        const next = text.charCodeAt(this.i);
        if (next === (open.array !== undefined ? CLOSE_BRACKET : CLOSE_BRACE)) {
          this.i++;
          stack.pop();
          value = open.array ?? open.object;
          continue;
        }
        if (next !== COMMA) this.fail(this.i >= text.length ? 'unexpected end of the JSON text' : `expected "," or "${open.array !== undefined ? ']' : '}'}", found ${shown(text, this.i)}`);
        this.i++;
        if (open.object !== undefined) {
          this.space();
          open.key = this.key();
        }
        break;
      }
    }
  }

  private fail(reason: string, at = this.i): never {
    throw new ToXmlError('JSON_SYNTAX', reason, { file: this.place.file, ...positionOf(this.text, at, this.place.line ?? 1) });
  }

  private space(): void {
    const text = this.text;
    let i = this.i;
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
    this.i = i;
  }

  /** A key and the colon after it. A key seen before is the same string again: a property store then need not look a fresh one up. */
  private key(): string {
    const text = this.text;
    const i = this.i;
    if (text.charCodeAt(i) !== QUOTE) this.fail(i >= text.length ? 'unexpected end of the JSON text: expected a key' : `expected a key (a string), found ${shown(text, i)}`);
    const end = text.indexOf('"', i + 1);
    const length = end - i - 1;
    const slot = (length * 31 + text.charCodeAt(i + 1)) & (KEYS.length - 1);
    const known = KEYS[slot];
    let key: string;
    if (known !== undefined && known.length === length && text.startsWith(known, i + 1)) {
      this.i = end + 1;
      key = known;
    } else {
      key = this.string();
      if (this.i - i - 2 === key.length && length <= 64) KEYS[slot] = key; // only keys written without escapes, so the text is the key
    }
    this.space();
    if (text.charCodeAt(this.i) !== COLON) this.fail(this.i >= text.length ? 'unexpected end of the JSON text: expected ":" after a key' : `expected ":" after a key, found ${shown(text, this.i)}`);
    this.i++;
    return key;
  }

  private string(): string {
    const text = this.text;
    const start = this.i + 1; // after the quote
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return text.slice(start, i);
      }
      if (c === BACKSLASH) break;
      if (c < 0x20 || Number.isNaN(c)) this.fail(Number.isNaN(c) ? 'unexpected end of the JSON text in a string' : `a control character (U+${hex(c)}) in a string must be escaped`, i);
      i++;
    }
    // The slow way, from the first escape on.
    let out = text.slice(start, i);
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return out;
      }
      if (Number.isNaN(c)) this.fail('unexpected end of the JSON text in a string', i);
      if (c < 0x20) this.fail(`a control character (U+${hex(c)}) in a string must be escaped`, i);
      if (c !== BACKSLASH) {
        out += text[i++];
        continue;
      }
      const e = text[i + 1] ?? '';
      if (e === 'u') {
        const digits = text.slice(i + 2, i + 6);
        if (!/^[\da-fA-F]{4}$/u.test(digits)) this.fail('a \\u escape takes four hexadecimal digits', i);
        out += String.fromCharCode(Number.parseInt(digits, 16));
        i += 6;
      } else if (Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        i += 2;
      } else this.fail(e === '' ? 'unexpected end of the JSON text in a string' : `bad escape \\${e} in a string`, i);
    }
  }

  private number(): number | JsonNumber {
    const text = this.text;
    const start = this.i;
    let isFloat = false;
    if (text.charCodeAt(this.i) === MINUS) this.i++;
    if (text.charCodeAt(this.i) === ZERO) this.i++; // no other digit may follow a leading zero
    else this.digits();
    if (text[this.i] === '.') {
      isFloat = true;
      this.i++;
      this.digits();
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      isFloat = true;
      this.i++;
      if (text[this.i] === '+' || text[this.i] === '-') this.i++;
      this.digits();
    }
    return numberOf(text.slice(start, this.i), isFloat);
  }

  private digits(): void {
    const text = this.text;
    const from = this.i;
    let i = from;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i));
    this.i = i;
    if (i === from) this.fail(i >= text.length ? 'unexpected end of the JSON text in a number' : `expected a digit, found ${shown(text, i)}`);
  }

  private literal(): JsonValue {
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    return this.fail(this.i >= this.text.length ? 'unexpected end of the JSON text: expected a value' : `expected a JSON value, found ${shown(this.text, this.i)}`);
  }
}

/** The 1-based line and column (in characters) of `offset` in `text`, which begins on `firstLine`. */
function positionOf(text: string, offset: number, firstLine = 1): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: [...text.slice(lineStart, offset)].length + 1 };
}

/** The character at `i`, quoted, for a message. */
function shown(text: string, i: number): string {
  const char = String.fromCodePoint(text.codePointAt(i)!);
  return char.codePointAt(0)! < 0x20 ? `U+${hex(char.codePointAt(0)!)}` : JSON.stringify(char);
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
