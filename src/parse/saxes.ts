// ② The second backend, as the course moved from xml.sax to expat: saxes's callbacks → send(XmlEvent).
// Same interface and same events as sax.ts; the only file that imports saxes.

import { SaxesParser } from 'saxes';
import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { type Attributes, type XmlEvent, setOwn } from '../events.js';
import { leadingSpace } from './leading-space.js';
import type { Limits } from '../limits.js';
import type { Tokenizer } from './tokenizer.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

export function saxesTokenizer(target: Coroutine<XmlEvent>, _limits?: Limits): Tokenizer {
  const parser = new SaxesParser({ position: true });
  const position = (): XmlPosition => ({ line: parser.line, column: parser.column });
  const fault = (reason: string) => new XmlSyntaxError(reason, position());
  let attrs = NO_ATTRIBUTES;
  let depth = 0;
  let rootSeen = false;
  const space = leadingSpace();
  // saxes reports the end of the open element before it checks the close tag's name, so an end is
  // held until the next event (or the end of the chunk) shows that no fault followed it.
  let heldEnd: string | undefined;
  const release = (): void => {
    if (heldEnd === undefined) return;
    const name = heldEnd;
    heldEnd = undefined;
    send(target, { type: 'end', name });
  };

  // saxes keeps attributes in an object without a prototype; we collect our own, as sax.ts does.
  parser.on('attribute', ({ name, value }) => {
    if (attrs === NO_ATTRIBUTES) attrs = {};
    setOwn(attrs, name, value);
  });
  parser.on('opentag', ({ name }) => {
    release();
    if (depth++ === 0 && rootSeen) throw fault(`a second root element <${name}>`);
    rootSeen = true;
    space.start();
    send(target, { type: 'start', name, attrs });
    attrs = NO_ATTRIBUTES;
  });
  parser.on('text', (text) => {
    release();
    if (!space.drops(text)) send(target, { type: 'text', text });
  });
  parser.on('cdata', (text) => {
    release();
    if (!space.drops(text)) send(target, { type: 'text', text });
  });
  parser.on('closetag', ({ name }) => {
    release();
    depth--;
    space.end();
    heldEnd = name;
  });
  // saxes's message starts with "line:column: "; we keep the reason and our own position.
  parser.on('error', (error) => {
    const reason = error.message.replace(/^\d+:\d+: /, '');
    if (reason === 'unexpected close tag.') heldEnd = undefined; // that end was not the element's
    else release();
    throw fault(reason === 'document must contain a root element.' ? 'no root element' : reason);
  });

  return {
    write(text) {
      parser.write(text);
      release();
    },
    end() {
      parser.close();
      release();
    },
    position,
  };
}
