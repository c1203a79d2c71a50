// ② The course's xml.sax: the npm `sax` package in strict mode behind the same three calls as our
// tokenizer, one line per callback. It checks what sax checks (README lists what it lets through),
// plus what costs nothing here: one root element. The only file that imports sax.

import { createRequire } from 'node:module';
import type SaxModule from 'sax';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { NO_ATTRIBUTES, setOwn, type Attributes } from '../events.js';
import type { TokenHandler } from './tokenizer.js';

export function saxTokenizer(handler: TokenHandler, maxText: number) {
  const sax = createRequire(import.meta.url)('sax') as typeof SaxModule; // loaded only when it is chosen
  // strictEntities: only XML's five entities, not sax's HTML table (&nbsp; is not XML).
  const parser = sax.parser(true, { position: true, strictEntities: true } as SaxModule.SAXOptions);
  const position = (): XmlPosition => ({ line: parser.line + 1, column: parser.column });
  let attrs: Attributes = NO_ATTRIBUTES;
  let depth = 0;
  let rootSeen = false;
  const bounded = (what: string, length: number): void => {
    if (length > maxText) throw new XmlSyntaxError(`${what} longer than ${maxText} characters (maxText)`, position(), 'XML_LIMIT');
  };
  // sax keeps attributes in a plain object, where `__proto__` would vanish: collected here instead.
  // One named hasOwnProperty shadows the method sax calls on that object for the next attribute.
  let shadowed = false;
  parser.onattribute = ({ name, value }) => {
    bounded('a name', name.length);
    bounded('an attribute value', value.length);
    shadowed ||= name === 'hasOwnProperty';
    setOwn(attrs === NO_ATTRIBUTES ? (attrs = {}) : attrs, name, value);
  };
  parser.onopentag = ({ name }) => {
    bounded('a name', name.length);
    shadowed = false;
    if (depth++ === 0 && rootSeen) throw new XmlSyntaxError('a second root element', position());
    rootSeen = true;
    const given = attrs;
    attrs = NO_ATTRIBUTES;
    handler.startTag(name, given);
  };
  const text = (text: string) => depth > 0 && handler.text(text, 0, text.length); // white space outside the root
  parser.ontext = text;
  parser.oncdata = text;
  parser.onclosetag = (name) => (depth--, handler.endTag(name));
  // sax's message ends with "\nLine: …\nColumn: …\nChar: …": its first line, and our position.
  parser.onerror = (error) => {
    throw new XmlSyntaxError(error.message.split('\n', 1)[0]!, position());
  };
  return {
    write: (text: string) => {
      try {
        parser.write(text);
      } catch (error) {
        if (!(shadowed && error instanceof TypeError)) throw error;
        throw new XmlSyntaxError('sax cannot read an attribute after one named "hasOwnProperty" (the default parser can)', position());
      }
    },
    end: () => {
      parser.close();
      if (!rootSeen) throw new XmlSyntaxError('no root element', position());
    },
    position,
    endPosition: position,
  };
}
