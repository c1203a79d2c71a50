// ② The course's cosax.EventHandler: sax's strict-mode callbacks → send(XmlEvent), one line each.
// The only file that imports sax.

import sax from 'sax';
import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, type XmlEvent, setOwn } from '../events.js';
import { leadingSpace } from './leading-space.js';
import type { Tokenizer } from './tokenizer.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

export function saxTokenizer(target: Coroutine<XmlEvent>): Tokenizer {
  // strictEntities: only XML's five entities, not sax's HTML table (&nbsp; is not XML).
  const parser = sax.parser(true, { position: true, strictEntities: true } as sax.SAXOptions);
  const position = (): XmlPosition => ({ line: parser.line + 1, column: parser.column });
  const fault = (reason: string) => new XmlSyntaxError(reason, position());
  let attrs = NO_ATTRIBUTES;
  let depth = 0;
  let rootSeen = false;
  const space = leadingSpace();

  // sax keeps attributes in a plain object, where `__proto__` would vanish; we collect our own.
  parser.onattribute = ({ name, value }) => {
    if (attrs === NO_ATTRIBUTES) attrs = {};
    setOwn(attrs, name, value);
  };
  parser.onopentag = ({ name }) => {
    if (depth++ === 0 && rootSeen) throw fault(`a second root element <${name}>`);
    rootSeen = true;
    space.start();
    send(target, { type: 'start', name, attrs });
    attrs = NO_ATTRIBUTES;
  };
  parser.ontext = (text) => {
    if (!space.drops(text)) send(target, { type: 'text', text });
  };
  parser.oncdata = (text) => {
    if (!space.drops(text)) send(target, { type: 'text', text });
  };
  parser.onclosetag = (name) => {
    depth--;
    space.end();
    send(target, { type: 'end', name });
  };
  // sax's message ends with "\nLine: …\nColumn: …\nChar: …"; we keep its first line and our own position.
  parser.onerror = (error) => {
    throw fault(error.message.split('\n', 1)[0]!);
  };

  return {
    write(text) {
      parser.write(text);
    },
    end() {
      parser.close();
      if (!rootSeen) throw fault('no root element');
    },
    position,
  };
}
