// --on-error skip: a record that is not well-formed is dropped, and reading goes on at the next one.
// On a fault the driver asks `skip()`: SkipRecord is thrown into the builder, which drops the record
// it is building and says how deep it was. The text after the fault is then searched for the next
// start tag with a record's name, or the end tag of the record's parent; the tokenizer reads on from
// there (enterContent), inside the elements open around the record. A fault outside any record is not
// skipped. A record dropped is reported when reading goes on: its number, the fault, its byte offset,
// and its bytes (as characters of the document's encoding). Kept meanwhile: the names of the open
// elements (a stage before the builder), and the text since the current record began, bounded.

import { type Coroutine, close, coroutine, send } from './coroutine.js';
import { XmlSyntaxError, type XmlPosition } from './errors.js';
import type { XmlEvent } from './events.js';
import type { Adapter } from './xml/adapter.js';
import type { XmlDecoder } from './xml/decode.js';
import { Tokenizer } from './xml/tokenizer.js';

/** Thrown into the builder under --on-error skip: it drops the record being built, and answers here. */
export class SkipRecord extends Error {
  override name = 'SkipRecord';
  /** elements open around the record (its parent, and theirs); -1 until the builder answers */
  depth = -1;
  /** a record was being built, and is dropped */
  dropped = false;
}

/** A record dropped under --on-error skip. */
export interface SkippedRecord {
  /** its number among the records of its input, 1-based (skipped ones counted) */
  record: number;
  /** the fault: where, 1-based, and what was wrong */
  line: number;
  column: number;
  reason: string;
  /** where its start tag begins, in bytes from the start of the (decompressed) input */
  offset: number;
  /** how many bytes were dropped: from its start tag to where reading went on */
  length: number;
  /** those bytes, as characters of `encoding` (at most RAW_CAP bytes of them) */
  text: string;
  encoding: string;
  /** `text` is only the first RAW_CAP bytes */
  truncated: boolean;
}

/** Bytes of a skipped record given in full; a longer one is cut there. */
export const RAW_CAP = 64 * 1024;
const MOST_NAMES = 64; // record names, as written, looked for after a fault
// After '<': an end tag's '/', a name, and what ends it (nothing yet: the name may go on in the next text).
const TAG = /^<(\/?)([^\s/>=<"'&]*)([\s/>]?)/u;

/** A piece of text as the tokenizer reads it, with what it takes to find bytes in it. */
interface Span {
  /** offset of text[0], in the tokenizer's characters from the start of the input */
  from: number;
  /** line ends normalised, as the tokenizer reads it */
  text: string;
  /** as decoded */
  raw: string;
  /** offset of text[0] in bytes */
  bytes: number;
  /** for each CR that normalising dropped, the index in `text` it came before (-1: before text[0]) */
  gone: readonly number[];
  /** characters at the start of `text` that came from the raw text before (a held surrogate) */
  heldIn: number;
}

/** A place in the text: offset (characters from the start of the input) and position. */
interface Place {
  offset: number;
  position: XmlPosition;
}

/**
 * One input's skipping, wired by its caller: `recordStarted` is the record selector's `onStart`
 * (chain.ts), and the driver calls `watch`, `attach`, `read`, `skip` and `finish` (FeedOptions.skip).
 */
export class RecordSkipper {
  private readonly names: Set<string>;
  private tokenizer: Tokenizer | undefined;
  private adapter: Adapter | undefined;
  private decoder: XmlDecoder | undefined;
  private builder: Coroutine<XmlEvent> | undefined;
  private readonly open: string[] = []; // names of the open elements, as written
  private frame: Place | undefined; // where the tokenizer counts from since enterContent(); undefined: the start
  private records = 0;
  private recordAt = -1; // where the current record's start tag begins; -1 before the first
  private spans: Span[] = [];
  private frozen: { start: number; offset: number; text: string } | undefined; // the head of a record too long to keep whole
  private endedInCr = false;
  /** a record being skipped: what to report, where the search goes on, how far positions are counted */
  private skipping: { record: number; start: number; fault: XmlPosition; reason: string; parent: string; from: number; walked: Place } | undefined;

  /** `elements`: -e's names and /paths; `report` is told of each record dropped */
  constructor(elements: readonly string[], private readonly report: (skipped: SkippedRecord) => void) {
    this.names = new Set(elements.map((element) => element.slice(element.lastIndexOf('/') + 1)));
  }

  /** The stage between the adapter and the builder, which keeps the names of the open elements. */
  watch(builder: Coroutine<XmlEvent>): Coroutine<XmlEvent> {
    this.builder = builder;
    return watching(this.open, builder);
  }

  attach(backend: unknown, adapter: Adapter, decoder: XmlDecoder): void {
    if (!(backend instanceof Tokenizer)) throw new TypeError('skipping records needs the cosax parser, which can read on after a fault');
    this.tokenizer = backend;
    this.adapter = adapter;
    this.decoder = decoder;
  }

  /** The selector's onStart: a record begins at the start tag just read. */
  readonly recordStarted = (): void => {
    this.records++;
    this.recordAt = this.offset(this.tokenizer!.offset());
    if (this.names.size < MOST_NAMES) this.names.add(this.open[this.open.length - 1]!); // as written: with its prefix, under --strip-ns
    this.trim();
  };

  /** Text decoded (`raw`) and with its line ends normalised (`text`); returns what the tokenizer is to read of it. */
  read(raw: string, text: string): string {
    const last = this.spans[this.spans.length - 1];
    const from = last === undefined ? 0 : last.from + last.text.length;
    // (the first text comes once the decoder knows the encoding, and how long a byte order mark it dropped)
    const bytes = last === undefined ? this.decoder!.markLength : last.bytes + this.byteLength(last.text) + this.crBytes() * last.gone.length;
    if (raw !== '' || text !== '') this.spans.push({ from, text, raw, bytes, ...dropped(raw, text, this.endedInCr) });
    if (raw.length > 0) this.endedInCr = raw.charCodeAt(raw.length - 1) === 0x0d;
    const read = this.skipping === undefined ? text : this.search(false);
    this.trim();
    return read;
  }

  /**
   * A fault: drops the record it is in and returns the text to read on with (from the next record on;
   * '' until it comes); or undefined, for a fault outside any record, a limit, or a chain that is not a
   * builder: then the fault ends the run.
   */
  skip(fault: unknown): string | undefined {
    if (!(fault instanceof XmlSyntaxError) || fault.code !== 'XML_SYNTAX' || fault.line === undefined) return undefined;
    const tokenizer = this.tokenizer!;
    const at = this.offset(tokenizer.offset());
    const answer = new SkipRecord(fault.reason);
    try {
      this.builder!.throw(answer);
    } catch {
      return undefined; // not a builder, or it had already failed
    }
    const depth = answer.depth;
    const recordTag = !answer.dropped && this.recordTagAt(at); // the fault is in a record's own start tag
    if (depth <= 0 || !(answer.dropped || recordTag)) return undefined;
    if (recordTag) {
      this.records++;
      this.recordAt = at;
    }
    const open = this.open.slice(0, depth);
    const walked = { offset: at, position: this.position(tokenizer.position()) };
    this.skipping = { record: this.records, start: this.recordAt, fault: this.position(fault as XmlPosition), reason: fault.reason, parent: open[depth - 1]!, from: at + 1, walked };
    tokenizer.enterContent(open, false); // it reads nothing until the next record is found
    this.adapter!.enterContent(depth);
    this.open.length = depth;
    return this.search(false);
  }

  /** A fault's position, counted from the start of the input. */
  absolute(error: XmlSyntaxError): XmlSyntaxError {
    if (this.frame === undefined || error.line === undefined) return error;
    return new XmlSyntaxError(error.reason, { ...this.position(error as XmlPosition), file: error.file }, error.code);
  }

  /** The input has ended (or failed): a record still being skipped ends with it. */
  finish(): void {
    if (this.skipping !== undefined) this.search(true);
  }

  // ── where reading goes on ──

  /**
   * Looks on from where the last look stopped for a record's start tag, or the parent's end tag.
   * Found: the tokenizer counts from there, the record is reported, and the text from there on is
   * returned. Not yet: positions are counted up to where it may still begin, and '' is returned.
   */
  private search(final: boolean): string {
    const skipping = this.skipping!;
    const text = this.textFrom(skipping.from);
    let found = -1;
    let unsure = text.length; // a tag whose name runs into the end of the text
    for (let j = text.indexOf('<'); j >= 0; j = text.indexOf('<', j + 1)) {
      const [tag, end, name, after] = TAG.exec(text.slice(j, j + 1024))!;
      if (after === '' && j + tag.length >= text.length && !final) {
        unsure = j;
        break;
      }
      if (after !== '' && (end === '/' ? name === skipping.parent : this.isRecordName(name!))) {
        found = j;
        break;
      }
    }
    const until = skipping.from + (found >= 0 ? found : unsure);
    this.frame = skipping.walked = this.walk(skipping.walked, until);
    skipping.from = until;
    if (found < 0 && !final) return '';
    this.skipping = undefined;
    const { record, start, fault, reason } = skipping;
    const offset = this.frozen?.start === start ? this.frozen.offset : this.bytesAt(start);
    const { text: head, truncated } = this.frozen?.start === start ? { text: this.frozen.text, truncated: true } : this.head(start, until);
    this.report({ record, ...fault, reason, offset, length: this.bytesAt(until) - offset, text: head, encoding: this.decoder!.encoding ?? 'utf-8', truncated });
    return found < 0 ? '' : text.slice(found);
  }

  private isRecordName(name: string): boolean {
    return this.names.has(name) || this.names.has(name.slice(name.indexOf(':') + 1));
  }

  /** Whether a start tag with a record's name begins at `offset`. */
  private recordTagAt(offset: number): boolean {
    const [, end, name, after] = TAG.exec(this.textFrom(offset).slice(0, 1024)) ?? [];
    return end === '' && after !== '' && this.isRecordName(name!);
  }

  /** `place`, moved on to `offset`: lines and columns (in characters) counted over the text between. */
  private walk(place: Place, offset: number): Place {
    const text = this.textFrom(place.offset).slice(0, offset - place.offset);
    let { line, column } = place.position;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        line++;
        column = 1;
      } else if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && isHighSurrogate(text.charCodeAt(i - 1)))) column++; // a pair is one column
    }
    return { offset, position: { line, column } };
  }

  // ── offsets and positions ──

  private offset(relative: number): number {
    return (this.frame?.offset ?? 0) + relative;
  }

  private position(relative: XmlPosition): XmlPosition {
    const frame = this.frame;
    if (frame === undefined) return { line: relative.line, column: relative.column };
    if (relative.line > 1) return { line: frame.position.line + relative.line - 1, column: relative.column };
    return { line: frame.position.line, column: frame.position.column + relative.column - 1 };
  }

  // ── the text kept, and bytes ──

  private spanAt(offset: number): Span | undefined {
    for (let i = this.spans.length - 1; i >= 0; i--) if (this.spans[i]!.from <= offset) return this.spans[i];
    return undefined;
  }

  /** The text from `offset` to the end of what has been read. */
  private textFrom(offset: number): string {
    let text = '';
    for (const span of this.spans) {
      if (span.from + span.text.length > offset) text += span.from >= offset ? span.text : span.text.slice(offset - span.from);
    }
    return text;
  }

  private byteLength(text: string): number {
    const encoding = this.decoder!.encoding ?? 'utf-8'; // text chunks: counted as UTF-8
    return encoding === 'utf-8' ? Buffer.byteLength(text, 'utf8') : encoding.startsWith('utf-16') ? 2 * text.length : text.length;
  }

  private crBytes(): number {
    return this.decoder!.encoding?.startsWith('utf-16') === true ? 2 : 1;
  }

  /** The byte offset of the character at `offset`. */
  private bytesAt(offset: number): number {
    const span = this.spanAt(offset)!;
    const n = offset - span.from;
    return span.bytes + this.byteLength(span.text.slice(0, n)) + this.crBytes() * span.gone.filter((before) => before < n).length;
  }

  /** The first RAW_CAP bytes' worth of the document's characters from `start` to `end`, CRs included. */
  private head(start: number, end: number): { text: string; truncated: boolean } {
    let text = '';
    for (const span of this.spans) {
      if (span.from > end || span.from + span.text.length < start) continue;
      // a span that starts inside the range gives all its raw text up to the end (a LF dropped at its start too)
      const a = start < span.from ? 0 : rawIndex(span, start - span.from);
      const b = rawIndex(span, Math.min(end - span.from, span.text.length));
      if (a < b) text += span.raw.slice(a, b);
    }
    if (this.byteLength(text) <= RAW_CAP) return { text, truncated: false };
    text = text.slice(0, RAW_CAP);
    while (this.byteLength(text) > RAW_CAP) text = text.slice(0, text.length - Math.max(1, (this.byteLength(text) - RAW_CAP) >> 2));
    return { text: isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.slice(0, -1) : text, truncated: true };
  }

  /**
   * Keeps the text from where the current (or skipped) record began, where the search goes on, and
   * where the construct the tokenizer is reading began (a record's start tag, until it is whole). A
   * record longer than the cap keeps its head, and where it began in bytes, and lets the rest go.
   */
  private trim(): void {
    const last = this.spans[this.spans.length - 1];
    if (last === undefined) return;
    const start = this.skipping?.start ?? this.recordAt;
    if (start >= 0 && last.from + last.text.length - start > 4 * RAW_CAP && this.frozen?.start !== start && this.spanAt(start) !== undefined) {
      this.frozen = { start, offset: this.bytesAt(start), ...this.head(start, start + RAW_CAP) };
    }
    const keepFrom = Math.min(
      start >= 0 && this.frozen?.start !== start ? start : Number.POSITIVE_INFINITY,
      this.skipping === undefined ? this.offset(this.tokenizer!.offset()) : this.skipping.walked.offset,
    );
    let drop = 0;
    while (drop < this.spans.length - 1 && this.spans[drop + 1]!.from <= keepFrom) drop++;
    if (drop > 0) this.spans = this.spans.slice(drop);
  }
}

/** Which CRs normalising dropped from `raw` to make `text` (CR LF → LF; a LF after a CR that ended the text before). */
function dropped(raw: string, text: string, afterCr: boolean): { gone: number[]; heldIn: number } {
  if (raw === text) return { gone: [], heldIn: 0 };
  const lead = afterCr && raw.charCodeAt(0) === 0x0a ? 1 : 0;
  const pairs: number[] = [];
  for (let cr = raw.indexOf('\r\n', lead); cr >= 0; cr = raw.indexOf('\r\n', cr + 2)) pairs.push(cr);
  const heldOut = isHighSurrogate(raw.charCodeAt(raw.length - 1)) ? 1 : 0; // LineEnds keeps a high surrogate for the next text
  const heldIn = text.length - (raw.length - lead - pairs.length - heldOut);
  // the LF of the k-th pair is at raw index cr + 1, and in text at cr + 1 - lead - (k + 1) + heldIn
  const gone = pairs.map((cr, k) => cr - lead - k + heldIn);
  return { gone: lead === 1 ? [-1, ...gone] : gone, heldIn };
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** The index in `span.raw` of `span.text[n]`. */
function rawIndex(span: Span, n: number): number {
  return Math.max(0, n - span.heldIn + span.gone.filter((before) => before < n).length);
}

/** Between the adapter and the builder: keeps the names of the open elements, as written. */
const watching = coroutine(function* (open: string[], builder: Coroutine<XmlEvent>) {
  try {
    for (;;) {
      const event: XmlEvent = yield;
      if (event.type === 'start') open.push(event.name);
      else if (event.type === 'end') open.pop();
      send(builder, event);
    }
  } finally {
    close(builder);
  }
});
