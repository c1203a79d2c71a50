// ② The second backend, as the course moved from xml.sax to expat: saxes's callbacks → send(XmlEvent).
// Same interface and same events as sax.ts; the only file that imports saxes. saxes checks names,
// characters, references and the tag structure itself; wellformed.ts checks the prolog for it (saxes
// only skims a DOCTYPE) and answers its entity look-ups, so that a DTD entity is named, as with sax.
// Where the two backends still differ, on purpose or by saxes's nature:
// - a fault saxes finds itself is placed at its character, and worded as saxes words it; sax's checks
//   see a whole text or tag and place it at its end (same line on all but 9 of the W3C suite's faults);
// - a lone surrogate given in a string (never from bytes: the decoder makes none) is read by saxes
//   together with the character after it.

import { SaxesParser } from 'saxes';
import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { NO_ATTRIBUTES, type XmlEvent, setOwn } from '../events.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { Elements } from './elements.js';
import type { Tokenizer } from './tokenizer.js';
import { BodyCheck, MAX_PROLOG, isName, PrologGate, placingFaults } from './wellformed.js';

// saxes's internals that its types keep private: the text, attribute value or markup being read,
// the reference being read, and the state machine that sEntity() below takes part in.
interface SaxesInside {
  text: string;
  tag: { name: string };
  entity: string;
  chunk: string;
  i: number;
  stateTable: Array<(this: SaxesInside) => void>;
  getCode(): number;
  fail(message: string): void;
}
const saxesEntityState = (SaxesParser.prototype as unknown as { sEntity: (this: SaxesInside) => void }).sEntity;

/**
 * saxes reads a reference up to its ";", however far that is (`A & B</doc>` ends as "unexpected
 * end"). This state, run before saxes's own, stops at the first character that cannot be in one,
 * there, as sax and expat do; saxes still checks the name it reads. It looks at each character of
 * a reference once more, and at nothing else.
 */
function sEntity(this: SaxesInside): void {
  const { chunk } = this;
  for (let j = this.i; j < chunk.length; j++) {
    const c = chunk.charCodeAt(j);
    if (c === 0x3b) break; // ;
    if (c <= 0x20 || c === 0x3c || c === 0x26 || c === 0x3e || c === 0x22 || c === 0x27) {
      while (this.i <= j) this.getCode(); // keeps saxes's line and column
      return this.fail('Invalid character in entity name'); // sax's words
    }
  }
  saxesEntityState.call(this);
}

export function saxesTokenizer(target: Coroutine<XmlEvent>, limits: Limits = DEFAULT_LIMITS): Tokenizer {
  const parser = new SaxesParser({ position: true });
  const inside = parser as unknown as SaxesInside;
  inside.stateTable[inside.stateTable.indexOf(saxesEntityState)] = sEntity;
  const check = new BodyCheck();
  const prolog = new PrologGate(check, Math.min(limits.maxText, MAX_PROLOG));
  const position = (): XmlPosition => {
    const held = prolog.holding; // saxes has not seen the prolog yet
    return held === undefined ? { line: parser.line, column: parser.column } : prolog.position(held, held);
  };
  const fault = (reason: string) => new XmlSyntaxError(reason, position());
  const limit = (reason: string) => new XmlSyntaxError(reason, position(), 'XML_LIMIT');
  let attrs = NO_ATTRIBUTES;
  const elements = new Elements(target, limits, fault, limit);
  // saxes notices text after the root only where the text ends (a "<" or the end of the chunk): the
  // fault is placed, as sax places it, at its first character, counted from where the last markup ended.
  let markupEnd: XmlPosition = { line: 1, column: 0 };
  const outsideRoot = (text: string): XmlSyntaxError | undefined => {
    const first = text.search(/[^ \t\r\n]/);
    if (first < 0) return undefined;
    let { line, column } = markupEnd;
    for (let i = 0; i <= first; i++) {
      if (text[i] === '\n') (line++, (column = 0));
      else column++;
    }
    return new XmlSyntaxError('Text data outside of root node.', { line, column }); // sax's words
  };
  const markAfterRoot = () => {
    if (elements.depth === 0) markupEnd = position();
  };
  // saxes reports the end of the open element before it checks the close tag's name, so an end is
  // held until the next event (or the end of the chunk) shows that no fault followed it.
  let heldEnd: string | undefined;
  const release = (): void => {
    if (heldEnd === undefined) return;
    const name = heldEnd;
    heldEnd = undefined;
    send(target, { type: 'end', name });
  };

  // saxes looks up every named reference but its own five here (character references it reads
  // itself): the five are own keys, anything else falls through to a prototype that names the fault.
  const unknown = new Proxy(Object.create(null) as Record<string, string>, {
    get(_, name) {
      if (typeof name !== 'string' || !isName(name)) return undefined; // saxes names that fault itself
      release(); // the element before the reference is complete
      return check.reference(name); // throws: a DTD entity, or an undefined one
    },
  });
  parser.ENTITIES = Object.assign(Object.create(unknown) as Record<string, string>, { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" });

  // Seven handlers at most until the root ends: with an eighth, V8 keeps saxes's parser object as
  // a dictionary, and saxes runs at half speed (its every field is read per character).
  parser.on('doctype', (doctype) => {
    elements.doctype(doctype);
  });
  // saxes keeps attributes in an object without a prototype; we collect our own, as sax.ts does.
  // saxes has already turned tab, CR and LF into spaces (§3.3.3); a DTD's non-CDATA types also collapse.
  parser.on('attribute', ({ name, value }) => {
    if (attrs === NO_ATTRIBUTES) attrs = {};
    setOwn(attrs, name, elements.collapses(inside.tag.name, name) ? collapse(value) : value);
  });
  parser.on('opentag', ({ name }) => {
    release();
    elements.start(name, attrs);
    attrs = NO_ATTRIBUTES;
  });
  const sendText = (text: string) => {
    release();
    if (elements.depth === 0) {
      const outside = outsideRoot(text); // saxes sends the text before its own fault
      if (outside !== undefined) throw outside;
      return;
    }
    elements.text(text);
  };
  parser.on('text', sendText);
  parser.on('cdata', sendText);
  parser.on('closetag', ({ name }) => {
    release();
    elements.end();
    heldEnd = name;
    if (elements.depth === 0) {
      markupEnd = position();
      // only now: an eighth handler turns the parser object into a slow dictionary in V8
      parser.on('comment', markAfterRoot);
      parser.on('processinginstruction', markAfterRoot);
    }
  });
  // saxes's message starts with "line:column: "; we keep the reason and our own position.
  parser.on('error', (error) => {
    const reason = error.message.replace(/^\d+:\d+: /, '');
    if (reason === 'unexpected close tag.') heldEnd = undefined; // that end was not the element's
    else release();
    if (reason === 'text data outside of root node.' && elements.depth === 0) throw outsideRoot(inside.text) ?? fault(reason);
    throw fault(reason === 'document must contain a root element.' ? 'no root element' : reason);
  });

  // The checks throw NotWellFormed; it gets the position here, where it is known.
  const checked = placingFaults(prolog, position);
  const write = (text: string, final: boolean) => {
    const passed = prolog.write(text, final);
    if (passed !== '') parser.write(passed);
    // saxes gathers a text, attribute value or comment whole, across chunks: bound it as it grows
    if (inside.text.length > limits.maxText || inside.entity.length > limits.maxText) throw elements.textTooLong();
  };

  return {
    write(text) {
      checked(() => write(text, false));
      release();
    },
    end() {
      checked(() => {
        write('', true);
        parser.close();
      });
      release();
    },
    position,
  };
}

/** A non-CDATA attribute value (§3.3.3): no leading or trailing spaces, runs of spaces as one. */
function collapse(value: string): string {
  return value.split(' ').filter((word) => word !== '').join(' ');
}
