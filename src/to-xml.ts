// The way back, for an ETL script: toXml() for a value in memory, xmlChunks() for records as they come,
// and the two stream forms. All are the same chain — values ▶ emitXml ▶ a sink — with a different sink.

import { Duplex } from 'node:stream';
import { close, fail, send } from './coroutine.js';
import type { XmlRecordOptions } from './json/xml-writer.js';
import { type Check, checkOptions, expect, isFlag, isText } from './options.js';
import { emitXml } from './stages/emit-xml.js';

export type { XmlOptions, XmlRecordOptions } from './json/xml-writer.js';

const XML_OPTIONS: Readonly<Record<string, Check>> = {
  pretty: isFlag,
  indent: expect((value) => typeof value === 'string' || (Number.isSafeInteger(value) && (value as number) >= 0), 'white space, or a number of spaces'),
  newline: isText,
  fullDocument: isFlag,
  shortEmptyElements: isFlag,
  attrPrefix: isText,
  textKey: isText,
  root: isText,
  item: isText,
};

/** Throws a TypeError naming what is wrong with the options of `entry`. */
function checkXmlOptions(entry: string, options: XmlRecordOptions | undefined): void {
  checkOptions(entry, options, XML_OPTIONS);
  if (options?.item !== undefined && options.root === undefined) throw new TypeError(`${entry}: option item names the records inside root: give root too`);
}

/**
 * The XML text of a JSON value, as xmltodict.unparse writes it: `toXml({ a: { '@x': '1', '#text': 't' } })`
 * is `<?xml version="1.0" encoding="utf-8"?>\n<a x="1">t</a>`. With `root`, the value is the records
 * (a list of them, or one) written inside it. Throws a ToXmlError where the XML would not be well-formed.
 */
export function toXml(value: unknown, options: XmlRecordOptions = {}): string {
  checkXmlOptions('toXml()', options);
  let out = '';
  const chain = emitXml(options, (text) => (out += text));
  send(chain, value);
  close(chain);
  return out;
}

const CHUNK = 64 * 1024; // characters gathered before a chunk is handed over

/**
 * The XML text of records as they come (an async iterable, or any iterable), in chunks, in the memory of
 * one record: each record inside `root` (as `item`, or under its own key: `{bus: {…}}`). A record the
 * XML cannot hold rejects the iteration with a ToXmlError, after the text of the records before it and
 * the root's end tag: what came out is well-formed.
 */
export async function* xmlChunks(records: AsyncIterable<unknown> | Iterable<unknown>, options: XmlRecordOptions): AsyncGenerator<string, void, undefined> {
  checkXmlOptions('xmlChunks()', options);
  let out = '';
  const chain = emitXml(options, (text) => (out += text));
  let complete = false;
  try {
    for await (const record of records) {
      send(chain, record);
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
    close(chain);
    complete = true;
  } catch (error) {
    try {
      fail(chain, error); // for a fault of the source; the chain has had the writer's own already
    } catch {
      // the same error, back out of the chain
    }
    if (out !== '') yield out;
    throw error;
  } finally {
    if (!complete) {
      try {
        close(chain); // left early (or failed): the chain is done with, and what it would add is not wanted
      } catch {
        // a document with no root yet: nobody is reading to be told
      }
    }
  }
  if (out !== '') yield out;
}

/**
 * A Node stream for `stream.pipeline`: records in (object mode; `undefined` stands for JSON null, which
 * a Node stream cannot carry), XML text out, as xmlChunks() writes it.
 */
export function xmlTransform(options: XmlRecordOptions): Duplex {
  checkXmlOptions('xmlTransform()', options);
  return Duplex.from(async function* (records: AsyncIterable<unknown>) {
    yield* xmlChunks(records, options);
  });
}

// The identity transform's own readable side, which XmlTransformStream's `readable` replaces.
const identityReadable = Object.getOwnPropertyDescriptor(TransformStream.prototype, 'readable')!.get!;

/** A web TransformStream for `readable.pipeThrough(…)`: records in, XML text out, as xmlChunks() writes it. */
export class XmlTransformStream extends TransformStream<unknown, string> {
  readonly #xml: ReadableStream<string>;

  constructor(options: XmlRecordOptions) {
    super(); // an identity transform: its writable side is ours, its readable side is where xmlChunks() reads
    checkXmlOptions('XmlTransformStream', options);
    this.#xml = ReadableStream.from(xmlChunks(identityReadable.call(this) as ReadableStream<unknown>, options));
  }

  override get readable(): ReadableStream<string> {
    return this.#xml;
  }
}
