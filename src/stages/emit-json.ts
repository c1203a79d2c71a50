// ④ Emitters of JSON text: one value a line (NDJSON), or one JSON array.
// Receive records; write text through `write`; the array's closing `]` is written on close.
// The text is JSON.stringify's (measured faster on records than text made here; BENCHMARKS.md), but
// JSON.stringify recurses: a value too deep for it is written by jsonText(), which does not.

import { coroutine } from '../coroutine.js';
import type { Json } from './build.js';

/** Writes text somewhere: a buffer, a stream. */
export type Write = (text: string) => void;

/** Each value as JSON on a line of its own (NDJSON; also the whole-document output). */
export const emitJsonLines = coroutine(function* (write: Write, indent?: number) {
  for (;;) {
    const value: Json = yield;
    write(jsonOf(value, indent, write) + '\n');
  }
});

/** The values as one JSON array, `[` before the first and `]` when the chain is closed. */
export const emitJsonArray = coroutine(function* (write: Write, indent?: number) {
  const gap = gapOf(indent);
  let count = 0;
  try {
    for (;;) {
      const value: Json = yield;
      let start = (count++ === 0 ? '[\n' : ',\n') + gap; // compact: a value a line
      let text: string | undefined;
      try {
        // indented as inside JSON.stringify([value], null, indent), which is faster than indenting it anew
        text = gap === '' ? JSON.stringify(value) : JSON.stringify([value], null, indent).slice(2 + gap.length, -2);
      } catch (error) {
        write(start);
        start = '';
        text = tooDeep(error, value, indent, 1, write);
      }
      write(start + (text ?? 'null'));
    }
  } finally {
    write(count === 0 ? '[]\n' : '\n]\n');
  }
});

/**
 * JSON.stringify(value, null, indent); where it runs out of stack (or its text would be longer than
 * a string can be), the same text from jsonText(), handing `write` all but its last piece.
 */
export function jsonOf(value: unknown, indent?: number, write?: Write): string | undefined {
  try {
    return JSON.stringify(value, null, indent);
  } catch (error) {
    return tooDeep(error, value, indent, 0, write);
  }
}

function tooDeep(error: unknown, value: unknown, indent: number | undefined, level: number, write: Write | undefined): string | undefined {
  if (!(error instanceof RangeError)) throw error;
  return jsonText(value, indent, write, level);
}

/** JSON.stringify's indentation: a number of spaces, at most 10. */
function gapOf(indent: number | undefined): string {
  return ' '.repeat(Math.max(0, Math.min(10, Math.trunc(Number(indent ?? 0)) || 0)));
}

/** Text handed to `flush` while a large value is written comes in pieces of about this many characters. */
const PIECE = 64 * 1024;
/** Containers opened deeper than this are remembered, so that a cycle is found (one that is not has an end). */
const CYCLE_DEPTH = 64;

const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/; // paired surrogates too: JSON.stringify keeps them, and is asked
const quote = (text: string): string => (ESCAPED.test(text) ? JSON.stringify(text) : '"' + text + '"');

/**
 * The text JSON.stringify(value, null, indent) makes, made without recursion: the open containers
 * are kept in arrays, not on the stack, so any depth is written. Text beyond PIECE characters goes to
 * `flush` as it is made (in one piece each); the rest is returned. `level`: indented as if that deep.
 */
export function jsonText(value: unknown, indent?: number, flush?: Write, level = 0): string | undefined {
  const gap = gapOf(indent);
  const colon = gap === '' ? ':' : ': ';
  const lines: string[] = [];
  const line = (depth: number): string => (gap === '' ? '' : (lines[depth] ??= '\n' + gap.repeat(level + depth)));
  // The open containers, innermost last: the container, an object's keys (undefined for an array),
  // the index of its next member, whether it has written a member yet (an object leaves some out).
  const containers: object[] = [];
  const memberKeys: (string[] | undefined)[] = [];
  const next: number[] = [];
  const written: boolean[] = [];
  const deep = new Set<object>();
  const root = value;
  let out = '';
  let depth = 0;
  let key: string | number = ''; // the value's key in its holder, for toJSON
  for (;;) {
    if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') value = toJSON.call(value, String(key));
    }
    const d = depth - 1; // the holder's slot
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      // nothing alone, null in an array, left out of an object (no comma, no key)
      if (depth === 0) return undefined;
      if (memberKeys[d] === undefined) {
        out += (written[d] === true ? ',' : '') + line(depth) + 'null';
        written[d] = true;
      }
    } else {
      let prefix = ''; // a comma, a new line, an object's key
      if (depth > 0) {
        prefix = (written[d] === true ? ',' : '') + line(depth) + (memberKeys[d] === undefined ? '' : quote(key as string) + colon);
        written[d] = true;
      }
      if (typeof value === 'string') out += prefix + quote(value);
      else if (typeof value === 'number') out += prefix + (Number.isFinite(value) ? String(value) : 'null');
      else if (typeof value === 'boolean') out += prefix + String(value);
      else if (typeof value === 'bigint') JSON.stringify(value); // throws JSON.stringify's own TypeError
      else if (value === null) out += prefix + 'null';
      else {
        const isArray = Array.isArray(value);
        const proto: unknown = isArray ? undefined : Object.getPrototypeOf(value);
        if (!isArray && proto !== Object.prototype && proto !== null) {
          // a boxed primitive, a Map, a class instance: JSON.stringify's own rules, indented to fit
          const made = JSON.stringify(value, null, gap);
          out += prefix + (gap === '' ? made : made.replaceAll('\n', line(depth)));
        } else {
          if (depth >= CYCLE_DEPTH) {
            if (deep.has(value)) circular(root);
            deep.add(value);
          }
          out += prefix + (isArray ? '[' : '{');
          containers[depth] = value;
          memberKeys[depth] = isArray ? undefined : Object.keys(value);
          next[depth] = 0;
          written[depth++] = false;
        }
      }
      if (flush !== undefined && out.length > PIECE) {
        flush(flat(out));
        out = '';
      }
    }
    // The next value: the next member of the innermost open container, closing those that are done.
    for (;;) {
      if (depth === 0) return out;
      const c = depth - 1;
      const container = containers[c]!;
      const names = memberKeys[c];
      const i = next[c]!++;
      if (names === undefined && i < (container as unknown[]).length) {
        value = (container as unknown[])[i];
        key = i;
        break;
      }
      if (names !== undefined && i < names.length) {
        key = names[i]!;
        value = (container as Record<string, unknown>)[key];
        break;
      }
      const close = names === undefined ? ']' : '}';
      out += written[c] === true ? line(c) + close : close;
      if (c >= CYCLE_DEPTH) deep.delete(container);
      containers[c] = undefined as unknown as object; // let the value go
      depth = c;
    }
  }
}

/**
 * The same text in one piece: V8 flattens a string made by concatenation when a character is read
 * from it, and one flat piece costs the collector one object where its parts would cost thousands.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** Throws JSON.stringify's own TypeError for a value that contains itself. */
function circular(root: unknown): never {
  try {
    JSON.stringify(root);
  } catch (error) {
    if (error instanceof TypeError) throw error;
  }
  throw new TypeError('Converting circular structure to JSON'); // too deep for JSON.stringify to find it
}
