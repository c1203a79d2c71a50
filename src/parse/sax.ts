// ② The course's cosax.EventHandler: sax's strict-mode callbacks → send(XmlEvent), one line each.
// The only file that imports sax.

import sax from 'sax';
import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, type XmlEvent, setOwn } from '../events.js';
import { LineEnds } from './decode.js';
import { type Dtd, entityReason, normalizeAttribute, parseDoctype } from './dtd.js';
import type { Tokenizer } from './tokenizer.js';

// sax's internals that @types/sax does not declare: its state and the attribute being read.
interface SaxInside {
  state: number;
  attribValue: string;
  tagName: string;
  ENTITIES: Record<string, string | undefined>;
}
const STATE = (sax as unknown as { STATE: Record<string, number> }).STATE;
const IN_ATTRIBUTE_Q = STATE['ATTRIB_VALUE_ENTITY_Q'];
const IN_ATTRIBUTE_U = STATE['ATTRIB_VALUE_ENTITY_U'];
const WHITE = /[\t\n\r]/; // attribute values holding these need normalising

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

export function saxTokenizer(target: Coroutine<XmlEvent>): Tokenizer {
  // strictEntities: only XML's five entities, not sax's HTML table (&nbsp; is not XML).
  const parser = sax.parser(true, { position: true, strictEntities: true } as sax.SAXOptions);
  const position = (): XmlPosition => ({ line: parser.line + 1, column: parser.column });
  const fault = (reason: string) => new XmlSyntaxError(reason, position());
  let attrs = NO_ATTRIBUTES;
  let depth = 0;
  let rootSeen = false;
  const lineEnds = new LineEnds();
  let dtd: Dtd | undefined;
  const charRefs: number[] = []; // offsets in the attribute value being read where a character reference put its character

  // sax asks this table for every entity reference: we note character references inside attribute
  // values (normalisation spares them), and name any other entity instead of sax's generic error.
  const inside = parser as unknown as SaxInside;
  const known = inside.ENTITIES;
  inside.ENTITIES = new Proxy(known, {
    get(_, name: string | symbol) {
      if (typeof name !== 'string') return undefined;
      const value = known[name];
      if (value !== undefined) return value;
      if (name.charCodeAt(0) !== 0x23) {
        const at = { line: parser.line + 1, column: parser.column - name.length - 1 }; // the '&'
        throw new XmlSyntaxError(entityReason(name, dtd?.entities.has(name) === true), at);
      }
      if ((inside.state === IN_ATTRIBUTE_Q || inside.state === IN_ATTRIBUTE_U) && charRefs.at(-1) !== inside.attribValue.length) charRefs.push(inside.attribValue.length);
      return undefined; // sax decodes the character reference itself
    },
  });
  parser.ondoctype = (doctype) => {
    dtd = parseDoctype(doctype);
  };
  // sax keeps attributes in a plain object, where `__proto__` would vanish; we collect our own.
  parser.onattribute = ({ name, value }) => {
    if (attrs === NO_ATTRIBUTES) attrs = {};
    const collapse = dtd !== undefined && dtd.collapses(inside.tagName, name);
    setOwn(attrs, name, collapse || charRefs.length > 0 || WHITE.test(value) ? normalizeAttribute(value, charRefs, collapse) : value);
    charRefs.length = 0;
  };
  parser.onopentag = ({ name }) => {
    if (depth++ === 0 && rootSeen) throw fault(`a second root element <${name}>`);
    rootSeen = true;
    if (dtd !== undefined) attrs = dtd.withDefaults(name, attrs, fault); // copies only when it adds
    send(target, { type: 'start', name, attrs });
    attrs = NO_ATTRIBUTES;
  };
  parser.ontext = (text) => send(target, { type: 'text', text });
  parser.oncdata = (text) => send(target, { type: 'text', text });
  parser.onclosetag = (name) => {
    depth--;
    send(target, { type: 'end', name });
  };
  // sax's message ends with "\nLine: …\nColumn: …\nChar: …"; we keep its first line and our own position.
  parser.onerror = (error) => {
    throw fault(error.message.split('\n', 1)[0]!);
  };

  return {
    write(text) {
      parser.write(lineEnds.normalize(text));
    },
    end() {
      parser.close();
      if (!rootSeen) throw fault('no root element');
    },
    position,
  };
}
