// The common NDJSON record, written from its text: a line `{"id":"8747","route":"77",…}` whose keys
// are those of records written before (its shape) becomes `<id>8747</id><route>77</route>…` by one
// regular expression, with no value built, no key looked up, no escaping test per string. A line that
// does not match exactly (another key, a key twice, a JSON escape, a nested value) is not written
// here: the caller reads it and writes it as any other, so the XML is the same.

import { pythonNumberText } from './number.js';
import { escapeText } from './xml-text.js';
import type { Tags } from './xml-writer.js';

/** Where the records' fields go: the tags of each field, and what a record starts and ends with. */
export interface RecordFrame {
  /** a field's tags (checking its name) */
  tagsOf: (name: string) => Tags;
  /** a key that is an element (not an attribute, not the text key) */
  isElement: (key: string) => boolean;
  /** the item's start tag, or nothing when a record's keys are the elements */
  before: string;
  after: string;
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

  /** After a record was written the long way: its keys become a shape once a second record has them. */
  learn(record: unknown): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record) || Object.getPrototypeOf(record) !== Object.prototype) return;
    const keys = Object.keys(record);
    if (keys.length === 0 || keys.length > MOST_KEYS) return;
    for (const key of keys) {
      const value = (record as Record<string, unknown>)[key];
      if ((typeof value === 'object' && value !== null) || !this.frame.isElement(key)) return; // a shape is for records of fields
    }
    const signature = keys.join('\u0000'); // no XML name holds U+0000
    if (this.shapes.some((shape) => shape.keys === signature)) return; // a record of a shape that its line did not fit
    if (!this.seen.has(signature)) {
      if (this.seen.size >= SEEN) this.seen.clear();
      this.seen.add(signature);
      return;
    }
    this.seen.delete(signature);
    const tags = keys.map((key) => this.frame.tagsOf(key));
    const value = this.frame.shortEmpty ? FILLED : VALUE;
    const fields = keys.map((key) => `"${key.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}"${SPACE}:${SPACE}${value}`);
    const pattern = new RegExp(`^\\{${SPACE}${fields.join(`${SPACE},${SPACE}`)}${SPACE}\\}${SPACE}$`);
    const pieces = [this.frame.before + tags[0]!.open, ...tags.slice(1).map((tag, i) => tags[i]!.close + tag.open), tags[tags.length - 1]!.close + this.frame.after];
    this.shapes.unshift({ keys: signature, pattern, pieces });
    if (this.shapes.length > KEPT) this.shapes.pop();
  }
}
