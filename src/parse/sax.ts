// ② The course's cosax.EventHandler: sax's strict-mode callbacks → send(XmlEvent), one line each.
// The only file that imports sax. What sax does not check, wellformed.ts checks beside it.

import sax from 'sax';
import { type Coroutine, send } from '../coroutine.js';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { NO_ATTRIBUTES, type XmlEvent, setOwn } from '../events.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { LineEnds } from '../xml/decode.js';
import { normalizeAttribute } from './dtd.js';
import { Elements } from './elements.js';
import type { Tokenizer } from './tokenizer.js';
import { AttributeWatch, BodyCheck, isXmlSpace, MAX_PROLOG, NotWellFormed, PrologGate, placingFaults } from './wellformed.js';

// sax's internals that @types/sax does not declare: its state and the attribute being read.
interface SaxInside {
  state: number;
  procInstBody: string;
  attribValue: string;
  tagName: string;
  ENTITIES: Record<string, string>;
}
const STATE = (sax as unknown as { STATE: Record<string, number> }).STATE;
const IN_ATTRIBUTE_Q = STATE['ATTRIB_VALUE_ENTITY_Q'];
const IN_ATTRIBUTE_U = STATE['ATTRIB_VALUE_ENTITY_U'];
const IN_PI_BODY = STATE['PROC_INST_BODY'];
const IN_PI_ENDING = STATE['PROC_INST_ENDING'];
const IN_END_TAG = STATE['CLOSE_TAG'];
const AFTER_LT = STATE['OPEN_WAKA'];
const CUTS = /\?|<\/(?=[ \t\n\r])/g; // where writeInPieces() cuts the text: after '?', after "</" and white space
const WHITE = /[\t\n\r]/; // attribute values holding these need normalising

export function saxTokenizer(target: Coroutine<XmlEvent>, limits: Limits = DEFAULT_LIMITS): Tokenizer {
  // strictEntities: only XML's five entities, not sax's HTML table (&nbsp; is not XML).
  const parser = sax.parser(true, { position: true, strictEntities: true } as sax.SAXOptions);
  const check = new BodyCheck();
  const prolog = new PrologGate(check, Math.min(limits.maxText, MAX_PROLOG));
  const watch = new AttributeWatch();
  const position = (): XmlPosition => {
    const held = prolog.holding; // sax has not seen the prolog yet
    return held === undefined ? { line: parser.line + 1, column: parser.column } : prolog.position(held, held);
  };
  const fault = (reason: string) => new XmlSyntaxError(reason, position());
  const limit = (reason: string) => new XmlSyntaxError(reason, position(), 'XML_LIMIT');
  let attrs = NO_ATTRIBUTES;
  const elements = new Elements(target, limits, fault, limit);
  const lineEnds = new LineEnds();
  const charRefs: number[] = []; // offsets in the attribute value being read where a character reference put its character

  // sax looks every entity reference up in this table: the check answers, or names what is wrong.
  // Around it, we note where character references put characters into an attribute value
  // (attribute-value normalisation spares them).
  const inside = parser as unknown as SaxInside;
  const table = check.entityTable();
  inside.ENTITIES = new Proxy(table, {
    get(_, name: string | symbol) {
      if (typeof name === 'string' && name.charCodeAt(0) === 0x23 && (inside.state === IN_ATTRIBUTE_Q || inside.state === IN_ATTRIBUTE_U) && charRefs.at(-1) !== inside.attribValue.length) {
        charRefs.push(inside.attribValue.length);
      }
      return table[name as string];
    },
  });
  parser.ondoctype = (doctype) => elements.doctype(doctype);
  parser.onopentagstart = (tag) => {
    check.startTag(tag.name);
    (tag as { attributes: object }).attributes = watch.startTag(); // sees repeated attributes
  };
  // sax keeps attributes in a plain object, where `__proto__` would vanish; we collect our own.
  parser.onattribute = ({ name, value }) => {
    check.attribute(name, value);
    if (attrs === NO_ATTRIBUTES) attrs = {};
    const collapse = elements.collapses(inside.tagName, name);
    setOwn(attrs, name, collapse || charRefs.length > 0 || WHITE.test(value) ? normalizeAttribute(value, charRefs, collapse) : value);
    charRefs.length = 0;
  };
  parser.onopentag = ({ name }) => {
    elements.start(name, attrs);
    attrs = NO_ATTRIBUTES;
  };
  parser.ontext = (text) => {
    check.text(text);
    elements.text(text);
  };
  parser.oncdata = (text) => {
    check.cdata(text);
    elements.text(text);
  };
  parser.onopencdata = () => check.cdataStart((parser as unknown as { sgmlDecl: string }).sgmlDecl);
  parser.oncomment = (text) => check.comment(text);
  parser.onprocessinginstruction = ({ name, body }) => check.processingInstruction(name, body);
  parser.onsgmldeclaration = () => check.declaration();
  parser.onclosetag = (name) => {
    elements.end();
    check.endTag();
    send(target, { type: 'end', name });
  };
  // sax's message ends with "\nLine: …\nColumn: …\nChar: …"; we keep its first line and our own position.
  parser.onerror = (error) => {
    const reason = error.message.split('\n', 1)[0]!;
    // sax's own buffer limit (64 KiB for an attribute value, comment, name, …)
    if (reason.startsWith('Max buffer length exceeded')) throw limit(`${reason} (sax's limit of ${(sax as unknown as { MAX_BUFFER_LENGTH: number }).MAX_BUFFER_LENGTH} characters)`);
    throw fault(reason);
  };

  // The checks throw NotWellFormed; it gets the position here, where it is known.
  const checked = placingFaults(prolog, position);
  const write = (text: string, final: boolean) => {
    const passed = prolog.write(text, final);
    if (passed === '') return;
    check.screen(passed);
    writeInPieces(passed);
  };

  // Two of sax's steps go wrong right after a character we can find in the text: after a '?' it goes
  // back into a processing instruction's body (sax 1.6 never ends one ending in "??>"), and after "</"
  // it skips white space before the name (`</ a>`, which XML does not allow). So text is written in
  // pieces, cut after each '?' and each "</" followed by white space, and sax's state is looked at
  // between them. A chunk's first "/" after a "<" that ended the chunk before is a piece of its own.
  const writeInPieces = (text: string) => {
    let from = inside.state === AFTER_LT && text.charCodeAt(0) === 0x2f ? 1 : 0;
    if (from === 1) writePiece('/');
    for (CUTS.lastIndex = from; CUTS.exec(text) !== null; from = CUTS.lastIndex) writePiece(text.slice(from, CUTS.lastIndex));
    if (from < text.length) writePiece(from === 0 ? text : text.slice(from));
  };
  const writePiece = (piece: string) => {
    if (inside.state === IN_END_TAG && inside.tagName === '' && isXmlSpace(piece.charCodeAt(0))) throw new NotWellFormed('white space between "</" and the element name');
    parser.write(piece);
    // sax took this '?' back into the PI's body: the '?' before was body, this one may start the end
    if (inside.state === IN_PI_BODY && piece.endsWith('?')) {
      inside.procInstBody = inside.procInstBody.slice(0, -1);
      inside.state = IN_PI_ENDING;
    }
  };

  return {
    write(text) {
      checked(() => write(lineEnds.normalize(text), false));
    },
    end() {
      checked(() => {
        write('', true);
        parser.close();
      });
      if (!elements.rootSeen) throw fault('no root element');
    },
    position,
  };
}
