// ② The interface every parser backend offers the driver: text in, XmlEvent sends out.

import type { XmlPosition } from '../errors.js';

export interface Tokenizer {
  /** Parses more text; events are sent to the target before this returns. Throws XmlSyntaxError. */
  write(text: string): void;
  /** No more text: checks that the document is complete. Throws XmlSyntaxError. */
  end(): void;
  /** Where the tokenizer is now (1-based), for errors that stages raise. */
  position(): XmlPosition;
}
