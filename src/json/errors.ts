// The error of the way back, JSON → XML: text that is not JSON (where: file, line, column), or a value
// with no well-formed XML form (where: its JSON path, and the record's file and line).

export type ToXmlErrorCode =
  /** the text is not JSON */
  | 'JSON_SYNTAX'
  /** bytes that are not UTF-8 */
  | 'JSON_ENCODING'
  /** a JSON document too large to be read whole (NDJSON streams) */
  | 'JSON_LIMIT'
  /** a key that is not an XML name, where it would name an element or an attribute */
  | 'XML_NAME'
  /** a character that XML 1.0 forbids (a control character, a lone surrogate, U+FFFE) */
  | 'XML_CHAR'
  /** no root element, or several, where a document (with its declaration) was asked for */
  | 'XML_ROOT'
  /** a value with no XML form: an attribute that is an object, a list in a list, a record without a name */
  | 'XML_VALUE';

export interface ToXmlErrorPlace {
  /** the JSON path of the value, from `$`, the value or record converted */
  path?: string | undefined;
  file?: string | undefined;
  /** 1-based line (of the record, in NDJSON) */
  line?: number | undefined;
  /** 1-based column, in characters */
  column?: number | undefined;
}

/** A fault on the way back to XML. `message` reads `file:line:column: $.path: reason`. */
export class ToXmlError extends Error {
  override name = 'ToXmlError';
  readonly code: ToXmlErrorCode;
  /** what went wrong, without the place */
  readonly reason: string;
  path: string | undefined;
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;

  constructor(code: ToXmlErrorCode, reason: string, place: ToXmlErrorPlace = {}) {
    super(reason);
    this.code = code;
    this.reason = reason;
    this.path = place.path;
    this.file = place.file;
    this.line = place.line;
    this.column = place.column;
    this.message = this.format();
  }

  /** Adds what is known where it passes (the path, the file, the record's line) to what was known before. */
  at(place: ToXmlErrorPlace): this {
    this.path ??= place.path;
    this.file ??= place.file;
    this.line ??= place.line;
    this.column ??= place.column;
    this.message = this.format();
    return this;
  }

  private format(): string {
    const where = [this.file, this.line, this.line === undefined ? undefined : this.column].filter((part) => part !== undefined);
    return [...(where.length > 0 ? [where.join(':')] : []), ...(this.path === undefined ? [] : [this.path]), this.reason].join(': ');
  }
}
