// The common NDJSON record, written from its text: a line `{"id":"8747","route":"77",…}` whose keys
// are those of records written before (its shape) becomes `<id>8747</id><route>77</route>…` by one
// regular expression, with no value built, no key looked up, no escaping test per string. A line that
// does not match exactly (another key, a key twice, a JSON escape, a nested value) is not written
// here: the caller reads it and writes it as any other, so the XML is the same.

import { JsonNumber, pythonNumberText } from './number.js';
import { isObject } from './parse.js';
import { escapeText } from './xml-text.js';
import type { Tags } from './xml-writer.js';

/** How the writer writes a record's elements (shapes.ts writes nothing of its own). */
export interface RecordFrame {
  /** an element of text at a depth: its tags (checking its name) */
  tagsOf: (name: string, depth: number) => Tags;
  /** an element of elements at a depth: its start tag and its end tag, with pretty's line ends */
  wrapperOf: (name: string, depth: number) => { open: string; close: string };
  /** a key that is an element (not an attribute, not the text key) */
  isElement: (key: string) => boolean;
  /** the element each record is written as; none: a record's keys are the elements */
  item: string | undefined;
  /** `<a/>` for an empty element: then an empty or null value is left to the caller */
  shortEmpty: boolean;
}

/** A shape: the line's pattern, and the text around each value. */
interface Shape {
  readonly keys: string; // the signature of its key list
  readonly pattern: RegExp;
  /** pieces[0], value 0, pieces[1], …, value n-1, pieces[n] */
  readonly pieces: readonly string[];
}

const KEPT = 8; // shapes tried on a line, the latest first
const MOST_KEYS = 128;
const SEEN = 1024; // key lists remembered until one is seen again

const SPACE = '[ \\t\\r]*'; // JSON's white space, but the line feed that ended the line
// A value, in one of four groups: a string with nothing to escape and nothing XML forbids; a string
// with one of those (not a JSON escape, nor a control character, which JSON forbids there); true or
// false; a number. Or null, in none. The alternatives exclude one another, so a line that fails is
// given up in linear time.
const PLAIN = '[^"\\\\\\u0000-\\u001f&<>\\ud800-\\udfff\\ufffe\\uffff]';
const string = (least: '*' | '+'): string => `"(${PLAIN}${least})"|"(${PLAIN}*[&<>\\ud800-\\udfff\\ufffe\\uffff][^"\\\\\\u0000-\\u001f]*)"`;
const SCALAR = '(true|false)|(-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)';
const VALUE = `(?:${string('*')}|${SCALAR}|null)`;
// With short empty elements, an empty value is written <a/>: left to the caller.
const FILLED = `(?:${string('+')}|${SCALAR})`;
const GROUPS = 4; // a value's

/** The shapes of the records written so far, as the XML of a line that has one of them. */
export class RecordShapes {
  private readonly shapes: Shape[] = [];
  private readonly seen = new Set<string>(); // key lists written once, which a second record makes a shape

  constructor(private readonly frame: RecordFrame) {}

  /**
   * The XML of a record from its line, if the line is exactly a JSON object of one of the shapes with
   * values that are strings with no escape, numbers, true, false or null; else undefined.
   */
  xml(line: string): string | undefined {
    if (line.charCodeAt(0) !== 0x7b) return undefined; // '{'
    for (let s = 0; s < this.shapes.length; s++) {
      const shape = this.shapes[s]!;
      const match = shape.pattern.exec(line);
      if (match === null) continue;
      if (s > 0) this.shapes.unshift(...this.shapes.splice(s, 1)); // the latest first
      const pieces = shape.pieces;
      let out = pieces[0]!;
      for (let i = 1, group = 1; i < pieces.length; i++, group += GROUPS) {
        let text = match[group] ?? match[group + 2];
        if (text === undefined) {
          const special = match[group + 1];
          const number = match[group + 3];
          if (special !== undefined) {
            const escaped = escapeText(special);
            if (escaped === undefined) return undefined; // a character XML forbids: the caller says where
            text = escaped;
          } else text = number === undefined ? '' : pythonNumberText(number); // null: nothing
        }
        out += text + pieces[i]!;
      }
      return out;
    }
    return undefined;
  }

  /**
   * After a record was written the long way: its keys become a shape once a second record has them. A
   * record of fields; or a record whose one key holds a record of fields (`{"bus": {…}}`).
   */
  learn(record: unknown): void {
    if (!isObject(record)) return;
    let fields = record;
    let values = Object.values(record); // the values first: most records that are not a shape have one that is not a field
    const wrapper = values.length === 1 && isObject(values[0]) ? Object.keys(record)[0]! : undefined;
    if (wrapper !== undefined) {
      fields = values[0] as Record<string, unknown>;
      values = Object.values(fields);
    }
    if (values.length === 0 || values.length > MOST_KEYS || values.some((value) => typeof value === 'object' && value !== null && !(value instanceof JsonNumber))) return;
    const keys = Object.keys(fields);
    if (!keys.every(this.frame.isElement) || (wrapper !== undefined && !this.frame.isElement(wrapper))) return; // a shape is for records of fields
    const signature = (wrapper === undefined ? [] : [wrapper, '']).concat(keys).join('\u0000'); // no XML name holds U+0000
    if (this.shapes.some((shape) => shape.keys === signature)) return; // a record of a shape that its line did not fit
    if (!this.seen.has(signature)) {
      if (this.seen.size >= SEEN) this.seen.clear();
      this.seen.add(signature);
      return;
    }
    this.seen.delete(signature);
    // The elements around the fields: the item's, then the wrapper's.
    const around = [this.frame.item, wrapper].filter((name) => name !== undefined).map((name, i) => this.frame.wrapperOf(name, i + 1));
    const before = around.map((tags) => tags.open).join('');
    const after = around.map((tags) => tags.close).reverse().join('');
    const tags = keys.map((key) => this.frame.tagsOf(key, around.length + 1));
    const value = this.frame.shortEmpty ? FILLED : VALUE;
    const fieldPatterns = keys.map((key) => `${quotedKey(key)}${SPACE}:${SPACE}${value}`);
    let object = `\\{${SPACE}${fieldPatterns.join(`${SPACE},${SPACE}`)}${SPACE}\\}`;
    if (wrapper !== undefined) object = `\\{${SPACE}${quotedKey(wrapper)}${SPACE}:${SPACE}${object}${SPACE}\\}`;
    const pattern = new RegExp(`^${object}${SPACE}$`);
    const pieces = [before + tags[0]!.open, ...tags.slice(1).map((tag, i) => tags[i]!.close + tag.open), tags[tags.length - 1]!.close + after];
    this.shapes.unshift({ keys: signature, pattern, pieces });
    if (this.shapes.length > KEPT) this.shapes.pop();
  }
}

/** A key in the pattern: its JSON string, the characters a pattern reads otherwise escaped. */
function quotedKey(key: string): string {
  return `"${key.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}"`;
}
