// One error class for every entry point: what went wrong, and where (file, 1-based line and column).

export type XmlErrorCode =
  /** the document is not well-formed XML */
  | 'XML_SYNTAX'
  /** bytes that are not valid in the document's encoding, or an encoding we cannot decode */
  | 'XML_ENCODING'
  /** a safety limit was exceeded (depth, record size, text length) */
  | 'XML_LIMIT';

export interface XmlPosition {
  /** 1-based line */
  line: number;
  /** 1-based column, in characters */
  column: number;
}

/** A fault in the input document. `message` reads `file:line:column: reason`, as compilers write it. */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  readonly code: XmlErrorCode;
  /** what went wrong, without the position */
  readonly reason: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  file: string | undefined;

  constructor(reason: string, where: Partial<XmlPosition> & { file?: string | undefined } = {}, code: XmlErrorCode = 'XML_SYNTAX') {
    super(reason);
    this.code = code;
    this.reason = reason;
    this.line = where.line;
    this.column = where.column;
    this.file = where.file;
    this.message = this.format();
  }

  /** Names the input the error was found in (the driver knows it; the parser does not). */
  inFile(file: string | undefined): this {
    this.file = file;
    this.message = this.format();
    return this;
  }

  private format(): string {
    const where = [this.file, this.line, this.line === undefined ? undefined : this.column].filter((part) => part !== undefined);
    return where.length > 0 ? `${where.join(':')}: ${this.reason}` : this.reason;
  }
}
