// ④ The emitter of XML text, the way back: receives JSON values, writes xmltodict's unparse of them
// through `write` — each value whole or not at all; on close, the root's end tag, also after a fault
// (the output is then well-formed XML holding the records before it).

import { coroutine } from '../coroutine.js';
import { JsonLine } from '../json/read.js';
import { type XmlRecordOptions, XmlWriter } from '../json/xml-writer.js';
import type { Write } from './emit-json.js';

/** Each value (or JsonLine) as XML: a document of its own, or, with `root`, a record inside the root. */
export const emitXml = coroutine(function* (options: XmlRecordOptions, write: Write) {
  const writer = new XmlWriter(options);
  let failed = false;
  try {
    for (;;) {
      const value: unknown = yield;
      write(value instanceof JsonLine ? writer.nextLine(value) : writer.next(value));
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    write(failed ? writer.closeRoot() : writer.end());
  }
});
