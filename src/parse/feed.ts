// The driver: bytes or text in, one chunk at a time, through decode → tokenizer → the chain.
// End of input closes the chain; a fault is thrown into it once (so stages flush what is complete)
// and then thrown to the caller.

import { type Coroutine, close, fail } from '../coroutine.js';
import { XmlSyntaxError } from '../errors.js';
import type { XmlEvent } from '../events.js';
import { type Limits, limitsOf } from '../limits.js';
import { InvalidBytes, XmlDecoder } from '../xml/decode.js';
import { saxTokenizer } from './sax.js';
import { saxesTokenizer } from './saxes.js';
import type { Tokenizer } from './tokenizer.js';

export type Chunk = string | Uint8Array;

export interface FeedOptions {
  /** the input's name, for error messages */
  file?: string | undefined;
  /** safety limits, each raised or lowered from its default (see limits.ts) */
  limits?: Partial<Limits> | undefined;
  /** the tokenizer backend @default "sax" */
  parser?: ParserName | undefined;
}

/** The tokenizer backends: the same events and output, different speed. */
export const PARSERS = { sax: saxTokenizer, saxes: saxesTokenizer } as const;
export type ParserName = keyof typeof PARSERS;

/** A push parser: `write()` each chunk, then `end()`. After a fault, both throw it again. */
export interface Feed {
  write(chunk: Chunk): void;
  end(): void;
}

export function feed(target: Coroutine<XmlEvent>, options: FeedOptions = {}): Feed {
  const decoder = new XmlDecoder();
  const backend = options.parser ?? 'sax';
  if (!Object.hasOwn(PARSERS, backend)) throw new Error(`unknown parser "${backend}": expected ${Object.keys(PARSERS).join(' or ')}`);
  const tokenizer: Tokenizer = PARSERS[backend](target, limitsOf(options.limits));
  let fault: unknown;
  let ended = false;

  // Gives errors from the decoder and from stages a position and a file name, once.
  const located = (error: unknown): unknown => {
    if (error instanceof InvalidBytes) {
      tokenizer.write(error.text); // the parser has now read every character before the bad bytes
      const before = tokenizer.position();
      return new XmlSyntaxError(error.reason, { line: before.line, column: before.column + 1 }, 'XML_ENCODING').inFile(options.file);
    }
    if (error instanceof XmlSyntaxError) {
      const where = error.line === undefined ? new XmlSyntaxError(error.reason, tokenizer.position(), error.code) : error;
      return where.inFile(options.file);
    }
    // A stage ran out of stack (JSON.stringify recurses once per level): a limit, not a crash.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return new XmlSyntaxError('too deeply nested to convert: the JSON writer ran out of stack (lower --max-depth)', tokenizer.position(), 'XML_LIMIT').inFile(options.file);
    }
    return error;
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
      guarded(() => tokenizer.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk)));
    },
    end() {
      guarded(() => {
        tokenizer.write(decoder.end());
        tokenizer.end();
      });
      ended = true;
      close(target);
    },
  };
}
