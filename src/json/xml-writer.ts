// xmltodict's unparse (its _emit, over Python's XMLGenerator), byte for byte, without recursion: a JSON
// value 100,000 levels deep is written from a stack of open elements. Where unparse would write XML
// that is not well-formed, or Python's repr of a value, this throws a ToXmlError naming the JSON path.
//
// What unparse does, which this follows: a key is an element; a key starting with the attribute prefix
// is an attribute (after the text key is looked for); a list is that many elements of one name; null
// is an empty element; true/false are text; numbers are Python's str() of them; an element's text
// comes after its children; with `pretty`, each element on its own line, `indent` once per depth.

import { ToXmlError, type ToXmlErrorCode } from './errors.js';
import { JsonNumber, pythonText } from './number.js';
import { isObject } from './parse.js';
import { RecordShapes } from './shapes.js';
import { escapeText, forbiddenAt, isXmlName, quoteAttribute } from './xml-text.js';

/** How a value becomes XML: xmltodict.unparse's options, with its defaults. */
export interface XmlOptions {
  /** one element a line, indented @default false */
  pretty?: boolean | undefined;
  /** one level of indentation, with `pretty`: white space, or a number of spaces @default "\t" */
  indent?: string | number | undefined;
  /** what ends a line, with `pretty` @default "\n" */
  newline?: string | undefined;
  /** the XML declaration first, and exactly one root element; false: a fragment, any number of them @default true */
  fullDocument?: boolean | undefined;
  /** `<a/>` for an empty element, not `<a></a>` @default false */
  shortEmptyElements?: boolean | undefined;
  /** prefix of the keys that are attributes @default "@" */
  attrPrefix?: string | undefined;
  /** key of an element's text @default "#text" */
  textKey?: string | undefined;
}

/** A stream of records under one root element. */
export interface XmlRecordOptions extends XmlOptions {
  /** the element the records are written in; without it, each value is a document (or fragment) of its own */
  root?: string | undefined;
  /** the element each record is written as; without it, a record is an object whose keys name its elements (`{"bus": {…}}`) */
  item?: string | undefined;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
const BLOCK = 64 * 1024;
const XML_SPACE = /^[ \t\r\n]*$/u;

/** An element whose children are being written. */
interface Open {
  readonly value: Record<string, unknown>;
  readonly keys: string[];
  next: number; // index of the next key
  list: unknown[] | undefined; // the list of the key being written, if it is one
  item: number; // index of the next item of that list
  key: string; // the key being written
  readonly depth: number;
  readonly end: string; // its text, then its end tag
  // how it was reached from its parent, for the JSON path of a fault (worked out only then)
  readonly reached: string;
  readonly index: number;
}

/** A leaf's tags at its depth, with the indentation and line end that pretty puts around them: `<name>`, `</name>`, and the empty element. */
export interface Tags {
  readonly open: string;
  readonly close: string;
  readonly empty: string;
}

const TAGGED_DEPTHS = 16; // depths whose tags are kept

/** Writes JSON values as XML text: documents one after another, or the records under one root. */
export class XmlWriter {
  private readonly pretty: boolean;
  private readonly newline: string;
  private readonly fullDocument: boolean;
  private readonly shortEmpty: boolean;
  private readonly attrPrefix: string;
  private readonly textKey: string;
  private readonly xmlnsIsAttribute: boolean; // unparse spreads '@xmlns': {prefix: uri} into attributes
  private readonly root: string | undefined;
  private readonly item: string | undefined;
  private readonly indent: string;
  private readonly indents: string[] = ['']; // indentation per depth
  private readonly names = new Set<string>(); // names already checked
  private readonly tags: Array<Map<string, Tags>> = []; // a leaf's tags, per depth and name
  private started = false; // the declaration is written
  private rootOpen = false; // the root's start tag is written
  private values = 0;
  private roots = 0;
  private path = '$'; // the JSON path of the element write() began with
  private readonly stack: Open[] = []; // the elements write() has open
  private readonly shapes: RecordShapes | undefined; // records' shapes, for lines written from their text

  constructor(options: XmlRecordOptions = {}) {
    this.pretty = options.pretty === true;
    this.indent = typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent ?? '\t';
    this.newline = options.newline ?? '\n';
    // indent and newline are written between elements: anything but white space would be text there, or break the XML.
    if (!XML_SPACE.test(this.indent) || !XML_SPACE.test(this.newline)) throw new TypeError('indent and newline are white space (spaces, tabs, line ends)');
    this.fullDocument = options.fullDocument ?? true;
    this.shortEmpty = options.shortEmptyElements === true;
    this.attrPrefix = options.attrPrefix ?? '@';
    this.textKey = options.textKey ?? '#text';
    this.xmlnsIsAttribute = '@xmlns'.startsWith(this.attrPrefix) && this.textKey !== '@xmlns';
    this.root = options.root;
    this.item = options.item;
    for (const [what, name] of [['root', this.root], ['item', this.item]] as const) {
      if (name !== undefined && !isXmlName(name)) throw new ToXmlError('XML_NAME', `${what} ${JSON.stringify(name)} is not an XML name`);
    }
    if (this.root !== undefined) {
      // As open() and leaf() write a record's elements: an element of elements (the item) has a line end
      // after its start tag with pretty, and after its end tag; each field is a leaf.
      this.shapes = new RecordShapes({
        tagsOf: (name, depth) => this.tagsOf(name, depth),
        wrapperOf: (name, depth) => {
          const [indent, newline] = this.pretty ? [this.indentAt(depth), this.newline] : ['', ''];
          return { open: `${indent}<${name}>${newline}`, close: `${indent}</${name}>${newline}` };
        },
        isElement: (key) => key !== this.textKey && !key.startsWith(this.attrPrefix),
        item: this.item,
        shortEmpty: this.shortEmpty,
      });
    }
  }

  /**
   * The XML of one more NDJSON line: written from its text when it is a record of a shape written
   * before (shapes.ts), the root being open then; else its value, read, as next() writes it.
   */
  nextLine(line: { readonly text: string; value(): unknown }): string {
    const xml = this.shapes?.xml(line.text);
    if (xml !== undefined) return xml;
    const value = line.value();
    const out = this.next(value);
    this.shapes?.learn(value);
    return out;
  }

  /** The XML of one more value: a document (or fragment) of its own, or, under a root, a record. */
  next(value: unknown): string {
    let out = '';
    if (!this.started) {
      this.started = true;
      if (this.fullDocument) out += DECLARATION;
    }
    if (this.root === undefined) {
      if (this.values++ > 0 && !this.fullDocument) out += this.newline;
      return out + this.document(value);
    }
    // A list of records stands for its records (a JSON array of them, or an NDJSON line of them).
    let body = '';
    if (!Array.isArray(value)) body = this.record(value, '$');
    else for (let i = 0; i < value.length; i++) body += this.record(value[i], `$[${i}]`);
    // With pretty, a line end follows the root's start tag once it has a child key, though that may write nothing.
    if (!this.rootOpen && (body !== '' || (this.pretty && (this.item !== undefined || (Array.isArray(value) ? value.some(hasKeys) : hasKeys(value)))))) out += this.openRoot();
    return out + body;
  }

  /** A record's elements: as the item, or one per key. */
  private record(value: unknown, path: string): string {
    const record = value ?? null; // undefined: a Node stream's null
    if (this.item !== undefined) return this.elements(this.item, record, 1, path);
    if (!isObject(record)) throw this.fault('XML_VALUE', path, 'a record that is not an object needs an item name, the element it becomes ({"name": …} names its own)');
    let out = '';
    for (const key of Object.keys(record)) if (record[key] !== undefined) out += this.elements(key, record[key], 1, path + step(key));
    return out;
  }

  /** What ends the output: the root's end tag. Throws XML_ROOT where a document has no root. */
  end(): string {
    if (this.root === undefined) {
      if (this.fullDocument && this.roots === 0) throw this.fault('XML_ROOT', undefined, 'no root element: an XML document has one');
      return '';
    }
    const out = this.started || !this.fullDocument ? '' : DECLARATION;
    this.started = true;
    if (this.rootOpen) return `${out}</${this.root}>`;
    // No element in the root: as unparse writes {root: {item: []}} (a child key: a line end when pretty) or {root: null}.
    if (this.pretty && this.item !== undefined) return `${out}${this.openRoot()}</${this.root}>`;
    return out + (this.shortEmpty ? `<${this.root}/>` : `<${this.root}></${this.root}>`);
  }

  /** The root's end tag, if records were written in it: closes what was written before a fault. */
  closeRoot(): string {
    return this.rootOpen ? `</${this.root}>` : '';
  }

  private openRoot(): string {
    this.rootOpen = true;
    return `<${this.root}>${this.pretty ? this.newline : ''}`;
  }

  /** A value outside any root: each of its keys is a root element. */
  private document(value: unknown): string {
    if (!isObject(value)) throw this.fault('XML_VALUE', '$', 'a document is an object whose key names its root element ({"root": …})');
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (this.fullDocument && keys.length !== 1) {
      throw this.fault('XML_ROOT', '$', keys.length === 0 ? 'no root element: an XML document has one' : `${keys.length} root elements (${keys.slice(0, 3).map((key) => JSON.stringify(key)).join(', ')}): an XML document has one`);
    }
    let out = '';
    for (const key of keys) out += this.elements(key, value[key], 0, '$' + step(key));
    return out;
  }

  /** The elements a key makes: one, or one per item of a list. */
  private elements(name: string, value: unknown, depth: number, path: string): string {
    if (!Array.isArray(value)) return this.write(name, value, depth, path);
    if (value.length === 0 && !this.names.has(name)) this.checkName(name, path); // writes nothing, but unparse refuses a bad name all the same
    let out = '';
    for (let i = 0; i < value.length; i++) out += this.write(name, value[i], depth, `${path}[${i}]`);
    return out;
  }

  /** One element and everything in it, from a stack rather than by recursion. */
  private write(name: string, value: unknown, depth: number, path: string): string {
    this.path = path;
    const stack = this.stack; // one for every write(): write() never runs inside another
    stack.length = 0;
    let out = this.open(name, value, depth, -1, stack);
    const blocks: string[] = []; // a long element's XML, 64 K characters at a time
    while (stack.length > 0) {
      if (out.length > BLOCK) {
        blocks.push(flattened(out));
        out = '';
      }
      const top = stack[stack.length - 1]!;
      if (top.list !== undefined && top.item < top.list.length) {
        out += this.open(top.key, top.list[top.item], top.depth + 1, top.item++, stack);
      } else if (top.next < top.keys.length) {
        top.list = undefined;
        const key = top.keys[top.next++]!;
        const child = top.value[key];
        if (child === undefined || key === this.textKey || key.startsWith(this.attrPrefix)) continue;
        if (Array.isArray(child)) {
          top.list = child;
          top.item = 0;
          top.key = key;
        } else out += this.open(key, child, top.depth + 1, -1, stack);
      } else {
        out += top.end;
        stack.pop();
      }
    }
    if (blocks.length === 0) return out;
    blocks.push(out);
    return blocks.join('');
  }

  /**
   * Writes an element's start, or all of it when its children are all text (a record of fields), or it
   * has none; pushes it when one of them has children of its own. `index`: its place in its parent's
   * list, or -1. A fault gets its JSON path here, worked out only then.
   */
  private open(name: string, value: unknown, depth: number, index: number, stack: Open[]): string {
    let key: string | undefined; // the key of this element's being written, for a fault's path
    let item = -1; // and the index in its list
    let prefix: string | undefined; // or the prefix of its '@xmlns': {prefix: uri}
    try {
      if (!this.names.has(name)) this.checkName(name);
      if (depth === 0 && this.fullDocument && this.roots++ > 0) throw new ToXmlError('XML_ROOT', 'a second root element: an XML document has one');
      if (!isObject(value)) return this.leaf(name, value, depth);
      const indent = this.pretty ? this.indentAt(depth) : '';
      const after = this.pretty && depth > 0 ? this.newline : '';
      const keys = Object.keys(value);
      let attributes = '';
      let text = '';
      let children = false; // keys that are elements (unparse's "children")
      let content = false; // children that write something (an empty list writes nothing)
      let leaves = true; // every child is text, or a list of texts
      // '@xmlns': {prefix: uri} may name an attribute that a key names too: the last value, in the first place, as a dict keeps it.
      const spread = this.xmlnsIsAttribute && isObject(value['@xmlns']) ? new Map<string, string>() : undefined;
      for (key of keys) {
        const child = value[key];
        if (child === undefined) continue;
        if (key === this.textKey) text = escaped(textOf(child));
        else if (key.startsWith(this.attrPrefix)) {
          if (spread !== undefined && key === '@xmlns') {
            for (prefix of Object.keys(child as object)) {
              const attribute = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
              this.checkName(attribute);
              spread.set(attribute, quoted(attributeText((child as Record<string, unknown>)[prefix])));
            }
            prefix = undefined;
            continue;
          }
          const attribute = key.slice(this.attrPrefix.length);
          if (!this.names.has(attribute)) this.checkName(attribute);
          if (spread !== undefined) spread.set(attribute, quoted(attributeText(child)));
          else attributes += ` ${attribute}=${quoted(attributeText(child))}`;
        } else {
          children = true;
          if (Array.isArray(child) && child.length === 0 && !this.names.has(key)) this.checkName(key); // as elements() does
          content ||= !Array.isArray(child) || child.length > 0;
          leaves &&= Array.isArray(child) ? child.every(isText) : isText(child);
        }
      }
      key = undefined;
      if (spread !== undefined) for (const [attribute, quote] of spread) attributes += ` ${attribute}=${quote}`;
      const start = `${indent}<${name}${attributes}`;
      if (text === '' && !(this.pretty ? children : content)) return start + (this.shortEmpty ? '/>' : `></${name}>`) + after;
      if (!children) return `${start}>${text}</${name}>${after}`;
      if (leaves) {
        // Written here, without a frame: the common record of fields.
        let out = start + '>' + (this.pretty ? this.newline : '');
        for (key of keys) {
          const child = value[key];
          if (child === undefined || key === this.textKey || key.startsWith(this.attrPrefix)) continue;
          if (!Array.isArray(child)) out += this.leaf(key, child, depth + 1);
          else for (item = 0; item < child.length; item++) out += this.leaf(key, child[item], depth + 1);
          item = -1;
        }
        return `${out}${text}${indent}</${name}>${after}`;
      }
      stack.push({ value, keys, next: 0, list: undefined, item: 0, key: '', depth, end: `${text}${indent}</${name}>${after}`, reached: name, index });
      return start + '>' + (this.pretty ? this.newline : '');
    } catch (error) {
      if (error instanceof ToXmlError && error.path === undefined) {
        error.at({ path: this.pathOf(stack, name, index) + (key === undefined ? '' : step(key)) + (item === -1 ? '' : `[${item}]`) + (prefix === undefined ? '' : step(prefix)) });
      }
      throw error;
    }
  }

  /** An element whose value is text (or null, a number, a boolean): all of it. */
  private leaf(name: string, value: unknown, depth: number): string {
    const tags = this.tagsOf(name, depth);
    if (Array.isArray(value)) throw new ToXmlError('XML_VALUE', "a list in a list has no XML form (xmltodict writes Python's repr of it)");
    const text = escaped(typeof value === 'string' ? value : textOf(value));
    return text !== '' ? tags.open + text + tags.close : tags.empty;
  }

  /** The tags of a leaf `name` at `depth`; checks the name. Kept for the first names and depths: records repeat them. */
  private tagsOf(name: string, depth: number): Tags {
    const known = this.tags[depth]?.get(name);
    if (known !== undefined) return known;
    if (!this.names.has(name)) this.checkName(name);
    const indent = this.pretty ? this.indentAt(depth) : '';
    const after = this.pretty && depth > 0 ? this.newline : '';
    const tags = { open: `${indent}<${name}>`, close: `</${name}>${after}`, empty: `${indent}<${name}${this.shortEmpty ? '/>' : `></${name}>`}${after}` };
    if (depth < TAGGED_DEPTHS) {
      while (this.tags.length <= depth) this.tags.push(new Map());
      if (this.tags[depth]!.size < 4096) this.tags[depth]!.set(name, tags); // bounded, as the names are
    }
    return tags;
  }

  private checkName(name: string, path?: string): void {
    if (!isXmlName(name)) {
      const error = new ToXmlError('XML_NAME', `${JSON.stringify(name)} is not an XML name`);
      throw path === undefined ? error : error.at({ path });
    }
    if (this.names.size < 4096) this.names.add(name); // bounded: a stream of made-up keys must not grow it
  }

  /** The JSON path of the element `name` (at `index` of its list) opened inside `stack`. */
  private pathOf(stack: Open[], name: string, index: number): string {
    const steps = [...stack.slice(1).map((open) => [open.reached, open.index] as const), [name, index] as const].slice(stack.length === 0 ? 1 : 0);
    return this.path + steps.map(([key, i]) => step(key) + (i === -1 ? '' : `[${i}]`)).join('');
  }

  private indentAt(depth: number): string {
    while (this.indents.length <= depth) this.indents.push(this.indents[this.indents.length - 1] + this.indent);
    return this.indents[depth]!;
  }

  private fault(code: ToXmlErrorCode, path: string | undefined, reason: string): ToXmlError {
    return new ToXmlError(code, reason, { path });
  }
}

/** Text that is not a string: a number, a boolean, as unparse writes an element's value (for `#text` too: see README). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) return ''; // unparse writes nothing for them
  return numberText(value) ?? refuse('text is a string, number, boolean or null');
}

/** An attribute's value: a string, or a number, or a boolean as Python's str() writes it (True, False). */
function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return numberText(value) ?? refuse("an attribute is a string, number or boolean (xmltodict writes Python's repr of anything else)");
}

function numberText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? refuse('NaN is not a JSON number') : pythonText(value);
  if (typeof value === 'bigint') return String(value);
  if (value instanceof JsonNumber) return value.text;
  return undefined;
}

function escaped(text: string): string {
  return escapeText(text) ?? forbidden(text);
}

function quoted(value: string): string {
  return quoteAttribute(value) ?? forbidden(value);
}

function forbidden(value: string): never {
  const at = forbiddenAt(value);
  const code = [...value][at]!.codePointAt(0)!;
  throw new ToXmlError('XML_CHAR', `U+${code.toString(16).toUpperCase().padStart(4, '0')} (character ${at + 1}) is not allowed in XML 1.0`);
}

function refuse(reason: string): never {
  throw new ToXmlError('XML_VALUE', reason);
}

/**
 * The same text, which V8 copies into one string the first time a character of it is read: built by
 * `+=`, the XML of a long document is otherwise a tree of millions of pieces, four times its size in
 * memory and most of the collector's work. Nothing depends on it but memory.
 */
function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** A record with a key that is an element. */
function hasKeys(record: unknown): boolean {
  return isObject(record) && Object.values(record).some((value) => value !== undefined);
}

/** A value written as an element's text, with no elements inside (a leaf). */
function isText(value: unknown): boolean {
  return typeof value !== 'object' || value === null || value instanceof JsonNumber;
}


const IDENTIFIER = /^[A-Za-z_$][\w$]*$/u;

/** The JSON path step to a key: `.name` or `["bad name"]`. */
function step(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
