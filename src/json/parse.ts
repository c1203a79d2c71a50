// JSON text → a value, as Python's json.loads reads it for xmltodict: every number keeps what its text
// says (`1.0` is a float, `12345678901234567890` every digit: a JsonNumber where a JS number would not),
// `__proto__` is an ordinary key, and a fault is placed at its line and column. No recursion: a
// document 100,000 levels deep is read from a stack of open containers.

import { setOwn } from '../events.js';
import { ToXmlError } from './errors.js';
import { type JsonNumber, numberOf } from './number.js';

export type JsonValue = string | number | boolean | null | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

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
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new ToXmlError('JSON_SYNTAX', reason, { file: place.file, ...positionOf(text, at, place.line ?? 1) });
  };
  const space = (): void => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  const expect = (code: number, what: string): void => {
    space();
    if (text.charCodeAt(i) !== code) fail(i >= text.length ? `unexpected end of the JSON text: expected ${what}` : `expected ${what}, found ${shown(text, i)}`);
    i++;
  };

  // A key seen before is the same string again: a property store then need not look a fresh one up.
  const key = (): string => {
    const end = text.indexOf('"', i + 1);
    const length = end - i - 1;
    const slot = (length * 31 + text.charCodeAt(i + 1)) & (KEYS.length - 1);
    const known = KEYS[slot];
    if (known !== undefined && known.length === length && text.startsWith(known, i + 1)) {
      i = end + 1;
      return known;
    }
    const start = i;
    const fresh = string();
    if (i - start - 2 === fresh.length && length <= 64) KEYS[slot] = fresh; // only keys written without escapes, so the text is the key
    return fresh;
  };

  const string = (): string => {
    const start = ++i; // after the quote
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) return text.slice(start, i++);
      if (c === BACKSLASH) break;
      if (c < 0x20 || Number.isNaN(c)) fail(Number.isNaN(c) ? 'unexpected end of the JSON text in a string' : `a control character (U+${hex(c)}) in a string must be escaped`);
      i++;
    }
    // The slow way, from the first escape on.
    let out = text.slice(start, i);
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return out;
      }
      if (Number.isNaN(c)) fail('unexpected end of the JSON text in a string');
      if (c < 0x20) fail(`a control character (U+${hex(c)}) in a string must be escaped`);
      if (c !== BACKSLASH) {
        out += text[i++];
        continue;
      }
      const e = text[i + 1] ?? '';
      if (e === 'u') {
        const digits = text.slice(i + 2, i + 6);
        if (!/^[\da-fA-F]{4}$/u.test(digits)) fail('a \\u escape takes four hexadecimal digits');
        out += String.fromCharCode(Number.parseInt(digits, 16));
        i += 6;
      } else if (Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        i += 2;
      } else fail(e === '' ? 'unexpected end of the JSON text in a string' : `bad escape \\${e} in a string`);
    }
  };

  const number = (): number | JsonNumber => {
    const start = i;
    let isFloat = false;
    if (text.charCodeAt(i) === MINUS) i++;
    const digits = (): void => {
      const from = i;
      for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i));
      if (i === from) fail(i >= text.length ? 'unexpected end of the JSON text in a number' : `expected a digit, found ${shown(text, i)}`);
    };
    if (text.charCodeAt(i) === ZERO) i++; // no other digit may follow a leading zero
    else digits();
    if (text[i] === '.') {
      isFloat = true;
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      isFloat = true;
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
    return numberOf(text.slice(start, i), isFloat);
  };

  const stack: Container[] = [];
  let value: JsonValue;
  for (;;) {
    // A value starts here.
    space();
    const c = text.charCodeAt(i);
    if (c === QUOTE) value = string();
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i++;
      space();
      if (text.charCodeAt(i) === c + 2) {
        i++; // {} or []
        value = c === OPEN_BRACE ? {} : [];
      } else if (c === OPEN_BRACKET) {
        stack.push({ array: [] });
        continue;
      } else {
        if (text.charCodeAt(i) !== QUOTE) fail(i >= text.length ? 'unexpected end of the JSON text: expected a key' : `expected a key (a string), found ${shown(text, i)}`);
        const first = key();
        expect(COLON, '":" after a key');
        stack.push({ object: {}, key: first });
        continue;
      }
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) value = number();
    else {
      const literal = LITERALS.find(([word]) => text.startsWith(word, i));
      if (literal === undefined) fail(i >= text.length ? 'unexpected end of the JSON text: expected a value' : `expected a JSON value, found ${shown(text, i)}`);
      value = literal![1];
      i += literal![0].length;
    }
    // The value is complete: it goes into the innermost open container, which may then be complete too.
    for (;;) {
      const open = stack[stack.length - 1];
      if (open === undefined) {
        space();
        if (i < text.length) fail(`more text after the JSON value: ${shown(text, i)}`);
        return value;
      }
      if (open.array !== undefined) open.array.push(value);
      else setOwn(open.object, open.key, value);
      space();
      const next = text.charCodeAt(i);
      const close = open.array !== undefined ? CLOSE_BRACKET : CLOSE_BRACE;
      if (next === close) {
        i++;
        stack.pop();
        value = open.array ?? open.object;
        continue;
      }
      if (next !== COMMA) fail(i >= text.length ? 'unexpected end of the JSON text' : `expected "," or "${open.array !== undefined ? ']' : '}'}", found ${shown(text, i)}`);
      i++;
      if (open.object !== undefined) {
        space();
        if (text.charCodeAt(i) !== QUOTE) fail(i >= text.length ? 'unexpected end of the JSON text: expected a key' : `expected a key (a string), found ${shown(text, i)}`);
        open.key = key();
        expect(COLON, '":" after a key');
      }
      break;
    }
  }
}

/** The 1-based line and column (in characters) of `offset` in `text`, which begins on `firstLine`. */
export function positionOf(text: string, offset: number, firstLine = 1): { line: number; column: number } {
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
