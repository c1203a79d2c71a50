// The course's expat_parse(f, target): bytes or text in, one chunk at a time, through
// decode → tokenizer → adapter → the chain. End of input closes the chain; a fault is thrown into it
// once (so every stage flushes what is complete) and then thrown to the caller.

import { type Coroutine, close, fail } from './coroutine.js';
import { XmlSyntaxError, type XmlPosition } from './errors.js';
import type { XmlEvent } from './events.js';
import { type Limits, limitsOf } from './limits.js';
import { Adapter } from './xml/adapter.js';
import { InvalidBytes, LineEnds, XmlDecoder } from './xml/decode.js';
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
}

/** What the driver needs of a tokenizer. */
export interface Backend {
  write(text: string): void;
  end(): void;
  /** where the construct being reported began */
  position(): XmlPosition;
  /** where the text written so far ends */
  endPosition(): XmlPosition;
}

/** The tokenizers: the same events and output on well-formed XML; sax checks less (README). */
export const PARSERS = {
  cosax: (handler: TokenHandler, limits: Limits): Backend => new Tokenizer(handler, { maxText: limits.maxText }),
  sax: (handler: TokenHandler): Backend => saxTokenizer(handler),
} as const;
export type ParserName = keyof typeof PARSERS;

/** A push parser: `write()` each chunk, then `end()`. After a fault, both throw it again. */
export interface Feed {
  write(chunk: Chunk): void;
  end(): void;
}

export function feed(target: Coroutine<XmlEvent>, options: FeedOptions = {}): Feed {
  const name = options.parser ?? 'cosax';
  if (!Object.hasOwn(PARSERS, name)) throw new TypeError(`unknown parser "${name}": expected ${Object.keys(PARSERS).join(' or ')}`);
  const limits = limitsOf(options.limits);
  const decoder = new XmlDecoder();
  const lineEnds = new LineEnds();
  const adapter = new Adapter(target, limits, () => backend.position(), options);
  const backend: Backend = PARSERS[name](adapter, limits);
  let fault: unknown;
  let ended = false;

  // Gives errors from the decoder and from stages a position and a file name, once.
  const located = (error: unknown): unknown => {
    const where = placed(error, backend, lineEnds);
    return where instanceof XmlSyntaxError ? where.inFile(options.file) : where;
  };

  const guarded = (step: () => void): void => {
    if (fault !== undefined) throw fault;
    if (ended) throw new Error('write() after end()');
    try {
      step();
    } catch (error) {
      try {
        fault = located(error);
      } catch (later) {
        fault = located(later); // the text before the bad bytes held a syntax error of its own
      }
      fail(target, fault); // every stage's finally runs; completed records are flushed
      throw fault;
    }
  };

  return {
    write(chunk) {
      guarded(() => backend.write(lineEnds.normalize(typeof chunk === 'string' ? chunk : decoder.decode(chunk))));
    },
    end() {
      guarded(() => {
        backend.write(lineEnds.normalize(decoder.end()) + lineEnds.end());
        backend.end();
      });
      ended = true;
      close(target);
    },
  };
}

/**
 * An error from the decoder, the tokenizer or a stage as one XmlSyntaxError with its position (any
 * other error as it is). Bad bytes: the text before them is read first, so that they are placed.
 */
export function placed(error: unknown, backend: Backend, lineEnds: LineEnds): unknown {
  if (error instanceof InvalidBytes) {
    backend.write(lineEnds.normalize(error.text));
    return new XmlSyntaxError(error.reason, backend.endPosition(), 'XML_ENCODING');
  }
  if (error instanceof XmlSyntaxError) return error.line === undefined ? new XmlSyntaxError(error.reason, backend.position(), error.code) : error;
  return error;
}

export interface ParseOptions extends FeedOptions {
  /** awaited after each chunk: the sink's backpressure */
  drained?: () => Promise<void> | void;
}

/** Parses every chunk of `source` into `target`, closes it at the end; rejects with the first fault. */
export async function parse(source: AsyncIterable<Chunk> | Iterable<Chunk>, target: Coroutine<XmlEvent>, options: ParseOptions = {}): Promise<void> {
  const parser = feed(target, options);
  for await (const chunk of source) {
    parser.write(chunk);
    await options.drained?.();
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
