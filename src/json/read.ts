// The reading end of the way back: bytes ▶ text (decode.ts) ▶ jsonValues ▶ the chain of values.
// jsonValues takes text in pieces and sends each value: a line's, in NDJSON, or the whole document's;
// readJson is the course's expat_parse for JSON, feeding a source a chunk at a time.

import { type Coroutine, close, coroutine, fail, send } from '../coroutine.js';
import { InvalidUtf8, Utf8Text } from './decode.js';
import { ToXmlError } from './errors.js';
import { type JsonValue, type TextPlace, parseJson } from './parse.js';

/** json: one document, read whole; ndjson: a value a line, each sent as soon as its line is complete. */
export type JsonFormat = 'json' | 'ndjson';

export interface JsonValuesOptions {
  /** @default NDJSON when the first line is a whole value, and another follows; else one document */
  format?: JsonFormat | undefined;
  /** the name faults give */
  file?: string | undefined;
  /** NDJSON lines are sent as JsonLines, read when the target asks: a target that writes a line from its text need not build its value */
  lines?: boolean | undefined;
}

/** An NDJSON line, not read yet. */
export class JsonLine {
  constructor(
    readonly text: string,
    private readonly place: TextPlace,
  ) {}

  /** Its value, read now; a fault is placed at its line and column. */
  value(): JsonValue {
    return parseJson(this.text, this.place);
  }
}

const BLANK = /^[ \t\r]*$/u;

/**
 * Receives JSON text in pieces; sends each value to `target`. A fault in the JSON, or a value the
 * target refuses, is thrown with the file and the line of its value (NDJSON) after every value before it.
 */
export const jsonValues = coroutine(function* (options: JsonValuesOptions, target: Coroutine<unknown>) {
  const file = options.file;
  let format = options.format;
  // The text not sent on yet, in pieces (joined once: a long line comes in many chunks): the start of
  // a line, or (json) the whole document.
  let pieces: string[] = [];
  let line = 1; // the line the pieces start on
  const sendOn = (value: JsonValue | JsonLine, at: number): void => {
    try {
      send(target, value);
    } catch (error) {
      throw error instanceof ToXmlError ? error.at({ file, line: format === 'ndjson' ? at : undefined }) : error;
    }
  };
  // A line is a value in NDJSON; before the format is known, the first line that is not blank tells.
  const lineOf = (text: string, at: number): void => {
    if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && BLANK.test(text))) return; // a value starts with no white space, mostly
    if (format !== undefined) return sendOn(options.lines === true ? new JsonLine(text, { file, line: at }) : parseJson(text, { file, line: at }), at);
    let value: JsonValue;
    try {
      value = parseJson(text, { file, line: at });
    } catch {
      format = 'json'; // not a whole value: the first line of a document
      return;
    }
    format = 'ndjson';
    sendOn(value, at);
  };
  const joined = (): string => {
    try {
      return pieces.length === 1 ? pieces[0]! : pieces.join('');
    } catch (error) {
      // V8's strings end at 2^29 characters (512 Mi)
      throw error instanceof RangeError ? new ToXmlError('JSON_LIMIT', 'a JSON document (or line) too large to be read whole', { file }) : error;
    }
  };
  const isDocument = (): boolean => format === 'json';
  let failed = false;
  try {
    for (;;) {
      const piece: string = yield;
      if (isDocument()) {
        pieces.push(piece);
        continue;
      }
      let from = 0;
      for (let end = piece.indexOf('\n'); end !== -1; end = piece.indexOf('\n', from)) {
        let text = piece.slice(from, end);
        if (pieces.length > 0) {
          pieces.push(text);
          text = joined();
          pieces = [];
        }
        lineOf(text, line);
        if (isDocument()) {
          pieces = [text, piece.slice(end)]; // the document, from its first line
          break;
        }
        from = end + 1;
        line++;
      }
      if (!isDocument() && from < piece.length) pieces.push(piece.slice(from));
    }
  } catch (error) {
    failed = true;
    fail(target, error); // the target ends its output as after any fault; the error comes back out
    throw error;
  } finally {
    if (!failed) {
      try {
        pieces = [joined()];
        if (!isDocument()) lineOf(pieces[0]!, line); // the last line, which may tell that it is a document
        if (isDocument()) sendOn(parseJson(joined(), { file, line }), line);
      } catch (error) {
        fail(target, error);
        throw error; // not reached unless the target kept the error to itself
      }
      close(target);
    }
  }
});

export interface ReadJsonOptions extends JsonValuesOptions {
  /** awaited after each chunk: the sink's backpressure */
  drained?: (() => Promise<void> | void) | undefined;
}

/**
 * Reads a source of JSON or NDJSON bytes (or text) into `target` a chunk at a time, and closes it at the
 * end; a chunk's bytes are not looked at once the next is asked for (a source may read into them again).
 * Rejects with the first fault after throwing it into the chain, every value before it sent.
 */
export async function readJson(chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, target: Coroutine<unknown>, options: ReadJsonOptions = {}): Promise<void> {
  const head = jsonValues(options, target);
  const text = new Utf8Text(options.file);
  let inChain = false; // a fault from the chain has been through it already; one from reading has not
  try {
    for await (const chunk of chunks) {
      let piece: string;
      let invalid: ToXmlError | undefined;
      try {
        piece = text.decode(chunk);
      } catch (error) {
        if (!(error instanceof InvalidUtf8)) throw error;
        ({ text: piece, fault: invalid } = error); // the values before the bad bytes are read first
      }
      inChain = true;
      send(head, piece);
      inChain = false;
      if (invalid !== undefined) throw invalid;
      await options.drained?.();
    }
    text.end();
    inChain = true;
    close(head);
  } catch (error) {
    if (!inChain) fail(head, error);
    throw error;
  }
  await options.drained?.();
}
