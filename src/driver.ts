// The course's expat_parse(f, target): bytes or text in, one chunk at a time, through
// decode → tokenizer → adapter → the chain. End of input closes the chain; a fault is thrown into it
// once (so every stage flushes what is complete) and then thrown to the caller.

import { type Coroutine, close, fail } from './coroutine.js';
import { XmlSyntaxError, type XmlPosition } from './errors.js';
import type { XmlEvent } from './events.js';
import { type Limits, limitsOf } from './limits.js';
import { Adapter } from './xml/adapter.js';
import { InvalidBytes, LineEnds, XmlDecoder } from './xml/decode.js';
import type { RecordSkipper } from './skip.js';
import { saxTokenizer } from './xml/sax.js';
import { type TokenHandler, Tokenizer } from './xml/tokenizer.js';

export type Chunk = string | Uint8Array;

export interface FeedOptions {
  /** the input's name, for error messages */
  file?: string | undefined;
  /** safety limits, each raised or lowered from its default (see limits.ts) */
  limits?: Partial<Limits> | undefined;
  /** the tokenizer: our own, or the npm sax package (the course's xml.sax) @default "cosax" */
  parser?: ParserName | undefined;
  /** send white-space-only text too (xmltodict's strip_whitespace=False) @default false */
  keepSpace?: boolean | undefined;
  /** read bytes in this encoding, whatever the BOM and the declaration say (decode.ts's isEncoding() names) @default by the document */
  encoding?: string | undefined;
  /** --on-error skip: a record with a fault in it is dropped, and reading goes on after it (skip.ts) */
  skip?: RecordSkipper | undefined;
}

/** What the driver needs of a tokenizer. */
export interface Backend {
  /** `checked`: the decoder found on its bytes that `text` holds no character XML forbids */
  write(text: string, checked?: boolean): void;
  end(): void;
  /** where the construct being reported began, or (where the tokenizer can tell) the character `ahead` characters into it */
  position(ahead?: number): XmlPosition;
  /** the document offset of the construct being reported */
  offset?(): number;
  /** where the text written so far ends */
  endPosition(): XmlPosition;
  /** the decoder dropped a byte order mark (a U+FEFF after it is a character) */
  afterMark?(): void;
}

/** The tokenizers: the same events and output on well-formed XML; sax checks less (README). */
export const PARSERS = {
  cosax: (handler: TokenHandler, limits: Limits): Backend => new Tokenizer(handler, { maxText: limits.maxText }),
  sax: (handler: TokenHandler, limits: Limits): Backend => saxTokenizer(handler, limits.maxText),
} as const;
export type ParserName = keyof typeof PARSERS;

/** A push parser: `write()` each chunk, then `end()`. After a fault, both throw it again. */
export interface Feed {
  write(chunk: Chunk): void;
  end(): void;
}

export function feed(chain: Coroutine<XmlEvent>, options: FeedOptions = {}): Feed {
  const name = options.parser ?? 'cosax';
  if (!Object.hasOwn(PARSERS, name)) throw new TypeError(`unknown parser "${name}": expected ${Object.keys(PARSERS).join(' or ')}`);
  const limits = limitsOf(options.limits);
  const decoder = new XmlDecoder(options.encoding);
  const lineEnds = new LineEnds();
  const skipper = options.skip;
  const target = skipper?.watch(chain) ?? chain; // skipping keeps the names of the open elements, before the builder
  const offset = name === 'cosax' ? () => backend.offset!() : undefined; // (sax has no offsets: its events go one by one)
  const adapter = new Adapter(target, limits, (ahead) => backend.position(ahead), { keepSpace: options.keepSpace, offset });
  const backend: Backend = PARSERS[name](adapter, limits);
  skipper?.attach(backend, adapter, decoder);
  let fault: unknown;
  let ended = false;

  // Gives errors from the decoder and from stages a position and a file name, once.
  const located = (error: unknown): unknown => {
    const where = placed(error, backend, lineEnds, (text) => read(text, false)); // (read: skipping counts the text before bad bytes too)
    return where instanceof XmlSyntaxError ? where.inFile(options.file) : where;
  };

  const guarded = (step: () => void, skippable = true): void => {
    if (fault !== undefined) throw fault;
    if (ended) throw new Error('write() after end()');
    for (let next = step; ;) {
      try {
        next();
        return;
      } catch (error) {
        // --on-error skip: the record is dropped, and the text is read on from the next record
        const rest = skippable ? skipper?.skip(error) : undefined;
        if (rest !== undefined) {
          next = () => backend.write(rest);
          continue;
        }
        error = adapter.flushBefore(error); // the events before the fault go first
        try {
          fault = located(error);
        } catch (later) {
          fault = located(later); // the text before the bad bytes held a syntax error of its own
        }
        if (skipper !== undefined) {
          skipper.finish();
          if (fault instanceof XmlSyntaxError) fault = skipper.absolute(fault);
        }
        fail(target, fault); // every stage's finally runs; completed records are flushed
        throw fault;
      }
    }
  };
  let marked = false;
  const read = (decoded: string, checked: boolean, text = lineEnds.normalize(decoded)): void => {
    if (!marked && decoder.markLength > 0) {
      marked = true;
      backend.afterMark?.();
    }
    const rest = skipper === undefined ? text : skipper.read(decoded, text);
    backend.write(rest, checked && rest === text);
  };

  return {
    write(chunk) {
      guarded(() => (typeof chunk === 'string' ? read(chunk, false) : read(decoder.decode(chunk), decoder.checked)));
    },
    end() {
      guarded(() => {
        const decoded = decoder.end();
        read(decoded, false, lineEnds.normalize(decoded) + lineEnds.end());
      });
      skipper?.finish(); // a record still being skipped ends with the input
      guarded(() => backend.end(), false); // a fault at the very end is not skipped: there is nothing after it to read on at
      ended = true;
      close(target);
    },
  };
}

/**
 * An error from the decoder, the tokenizer or a stage as one XmlSyntaxError with its position (any
 * other error as it is). Bad bytes: the text before them is read first, so that they are placed.
 */
export function placed(error: unknown, backend: Backend, lineEnds: LineEnds, read = (text: string): void => backend.write(lineEnds.normalize(text))): unknown {
  if (error instanceof InvalidBytes) {
    read(error.text);
    return new XmlSyntaxError(error.reason, backend.endPosition(), 'XML_ENCODING');
  }
  if (error instanceof XmlSyntaxError) return error.line === undefined ? new XmlSyntaxError(error.reason, backend.position(), error.code) : error;
  return error;
}

export interface ParseOptions extends FeedOptions {
  /** awaited after each chunk: the sink's backpressure */
  drained?: () => Promise<void> | void;
  /** asked after each chunk: true stops reading there and closes the chain, the rest unread (--limit) */
  stop?: () => boolean;
}

/** Parses every chunk of `source` into `target`, closes it at the end; rejects with the first fault. */
export async function parse(source: AsyncIterable<Chunk> | Iterable<Chunk>, target: Coroutine<XmlEvent>, options: ParseOptions = {}): Promise<void> {
  const parser = feed(target, options);
  for await (const chunk of source) {
    parser.write(chunk);
    await options.drained?.();
    if (options.stop?.() === true) {
      close(target);
      return; // leaving the loop closes the source
    }
  }
  parser.end();
  await options.drained?.();
}

/** The same, synchronously, for text or bytes already in memory. */
export function parseSync(source: Iterable<Chunk>, target: Coroutine<XmlEvent>, options: FeedOptions = {}): void {
  const parser = feed(target, options);
  for (const chunk of source) parser.write(chunk);
  parser.end();
}
