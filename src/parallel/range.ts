// One worker's part of a file: the records whose start tag's '<' lies in a byte range, through the
// same chain as one core's (tokenizer → adapter → builder → filters → emitter text).
// A range is read *exactly* (from byte 0, or from a record start the range before has verified, with
// the elements open there), or *speculatively* (from the first `<NAME` at or after its first byte, as
// if a record began there); the main thread verifies a speculation by the exact parse of the range
// before, and reads the range again, exactly, whenever anything could differ (see run.ts).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type Coroutine, close, coroutine, fail, send } from '../coroutine.js';
import { XmlSyntaxError } from '../errors.js';
import { type XmlEvent, NO_ATTRIBUTES, takesBatches } from '../events.js';
import { placed } from '../driver.js';
import { type Limits, limitsOf } from '../limits.js';
import { type PipelineOptions, pipelineUnchecked } from '../chain.js';
import { Adapter } from '../xml/adapter.js';
import { isXmlSpace } from '../xml/chars.js';
import { LineEnds, XmlDecoder } from '../xml/decode.js';
import { type TokenHandler, Tokenizer } from '../xml/tokenizer.js';
import { ElementInventory, type Repeated } from '../inventory.js';
import { type ElementSelector, allOf, parseWhere, recordSelector } from '../query.js';

/** The chain's options, as they cross to a worker thread: the where-expressions as written. */
export interface ChainSpec extends Omit<PipelineOptions, 'where' | 'onRecord' | 'element'> {
  /** record element names, or absolute /paths (all of one kind) */
  element: readonly string[];
  where: readonly string[];
  limits: Partial<Limits>;
  /** --encoding: the bytes read as this, whatever the file says */
  encoding?: string | undefined;
}

export interface RangeTask {
  file: string;
  /** bytes [0, prolog) hold the prolog: read first, for the encoding and the DTD */
  prolog: number;
  /** exact: the '<' of a record (or 0: the whole document from its start); speculative: where to look for one */
  from: number;
  exact: boolean;
  /** the elements open at `from`: exact, or assumed (a path selector's parents); none with unknownAbove */
  open: readonly string[];
  /** elements above `open` may be open too (a speculation with element names) */
  unknownAbove: boolean;
  /** a record that starts at or after this byte is the next range's */
  end: number;
  spec: ChainSpec;
  /** no chain: only where the next range's first record begins (--shard reads the bytes before its own) */
  discard?: boolean;
}

export interface RangeResult {
  /** the record the range began with (a speculation's candidate); undefined: no candidate before `end` */
  start: number | undefined;
  /** text the emitter wrote when it was made (a CSV header), for the records, and when it was closed */
  preamble: string;
  /** the records' text, as UTF-8 bytes */
  body: Uint8Array[];
  postamble: string;
  /** end tags of elements open before `from` (unknownAbove), in order */
  outer: string[];
  /** outer ends after which elements or text came at the top (the root closed there would be a fault) */
  contentAfterOuter: number;
  /** the first record at or after `end`, and the elements open there (relative to `from` with unknownAbove) */
  next: { at: number; open: string[] } | undefined;
  /** deepest nesting, counted from `from` */
  deepest: number;
  /** records the builder made (before any filter), for the progress bar */
  made: number;
  /** records kept (after the filters and the spec's limit, which stops the range once reached) */
  kept: number;
  /** read from the document's start and no record found: the elements it has instead (the CLI names them) */
  inventory?: { repeated: Repeated[]; root: string | undefined };
  /** a speculation read to the end of the file: whether it ended between markup */
  clean: boolean;
  /** a fault: placed from `start` (or from the file's start, when `from` is 0 and exact) */
  fault?: { reason: string; code: XmlSyntaxError['code']; line: number; column: number };
}

const CHUNK = 64 * 1024;
const BUFFER = 1 << 20; // what a range's output is written into, a MiB at a time

// Buffers of a MiB whose bytes have been written out, to be written into again: the main thread hands
// them back, so that a run's output does not leave its memory to be found by a collection, much later.
const spares: ArrayBuffer[] = [];

/** Takes back buffers of a range's output (a worker's, once the main thread has written them). */
export function recycle(buffers: readonly ArrayBuffer[]): void {
  for (const buffer of buffers) if (buffer.byteLength === BUFFER && spares.length < 16) spares.push(buffer);
}

/** Where the next range's first record was found: reading stops there. */
class RangeEnd extends Error {}

/** The chain a task's spec describes, writing into `write`. */
export function chainOf(spec: ChainSpec, write: (text: string) => void, told: Pick<PipelineOptions, 'onRecord' | 'onKept' | 'onLimit' | 'file'>): Coroutine<XmlEvent> {
  return pipelineUnchecked({ ...optionsOf(spec, told.onRecord), ...told }, write);
}

/** The chain's options a spec stands for (chain.ts composes the chain from them). */
export function optionsOf(spec: ChainSpec, onRecord?: () => void): PipelineOptions {
  const { where, limits, encoding: _decoder, ...rest } = spec;
  const keys = { attrPrefix: spec.attrPrefix, textKey: spec.textKey };
  const element = spec.element.length === 0 ? undefined : spec.element;
  return { ...rest, element, onRecord, maxRecord: limits.maxRecord ?? rest.maxRecord, where: where.length === 0 ? undefined : allOf(where.map((expression) => parseWhere(expression, keys))) };
}

const dropping = coroutine(function* (): Generator<unknown, void, XmlEvent> {
  for (;;) yield;
});

/** The element names a record's start tag may have: what a speculation looks for. */
export function recordNames(element: readonly string[]): string[] {
  return [...new Set(element.map((selector) => selector.split('/').at(-1)!))];
}

/** Reads one range of a file through the chain. Synchronous: a worker thread runs one at a time. */
export function readRange(task: RangeTask): RangeResult {
  const fd = openSync(task.file, 'r');
  try {
    return new RangeReader(task, fd).read();
  } finally {
    closeSync(fd);
  }
}

class RangeReader implements TokenHandler {
  // What the chain wrote, encoded as UTF-8 into buffers of a MiB as it comes: one copy, off the heap
  // (strings kept for the whole range would be copied by every young-generation collection).
  private bytesOut: Uint8Array[] = [];
  private buffer = Buffer.allocUnsafeSlow(0);
  private used = 0;
  private readonly chain: Coroutine<XmlEvent>;
  private readonly adapter: Adapter;
  private readonly tokenizer: Tokenizer;
  private readonly decoder: XmlDecoder;
  private readonly lineEnds = new LineEnds();
  private readonly reused = Buffer.allocUnsafeSlow(CHUNK); // a fresh buffer a chunk costs a page fault every 4 KB
  private readonly names: string[];
  private readonly selector: ElementSelector | undefined; // which start tags begin a record: the builder's own rule
  private readonly inventory = new ElementInventory();
  // what the reader follows of the document, beside the chain: the elements open outside a record
  private readonly path: string[];
  private recordDepth = 0;
  private readonly outer: string[] = [];
  private contentAfterOuter = 0;
  private deepest = 0;
  // the range's end in characters given the tokenizer, once reading has passed it, and the text after it
  private boundary = Infinity;
  private readonly afterBoundary: string[] = [];
  private afterStart = 0; // the character afterBoundary[0] begins at (the decoder may have held a few before the boundary)
  private fed = 0;
  private made = 0;
  private kept = 0;
  private limited = false; // the spec's limit is reached: the rest of the range is not read

  constructor(private readonly task: RangeTask, private readonly fd: number) {
    const limits = limitsOf(task.spec.limits);
    this.decoder = new XmlDecoder(task.spec.encoding);
    const told = { onRecord: () => void this.made++, onKept: () => void this.kept++, onLimit: () => void (this.limited = true), file: task.file };
    this.chain = task.discard === true ? takesBatches(dropping()) : chainOf(task.spec, (text) => this.write(text), told);
    const offset = () => this.tokenizer.offset();
    this.adapter = new Adapter(this.chain, limits, (ahead) => this.tokenizer.position(ahead), { outerEnd: (name) => this.outer.push(name), keepSpace: task.spec.keepSpace, offset });
    this.tokenizer = new Tokenizer(this, { maxText: limits.maxText });
    this.names = recordNames(task.spec.element);
    const fromStart = task.exact && task.from === 0;
    this.selector = task.spec.element.length === 0 ? undefined : recordSelector(task.spec.element, fromStart ? this.inventory : undefined);
    this.path = [...task.open];
  }

  read(): RangeResult {
    const { task } = this;
    const preamble = this.takeText();
    const size = fileSize(this.fd);
    let start: number | undefined = task.from;
    let fault: RangeResult['fault'];
    let next: RangeResult['next'];
    let clean = true;
    let body: Uint8Array[] = [];
    try {
      if (task.from > 0 || !task.exact) {
        this.feed(this.bytes(0, task.prolog)); // the encoding and the DTD
        start = task.exact ? task.from : this.candidate(task.from, task.end);
        if (start === undefined) return this.result(undefined, preamble, [], next, clean);
        this.tokenizer.enterContent(task.open, task.unknownAbove);
        this.adapter.enterContent(task.open.length);
        this.fed = 0; // offsets count from here now
        if (task.discard !== true) for (const name of task.open) send(this.chain, { type: 'start', name, attrs: NO_ATTRIBUTES }); // the builder's path
      }
      for (let at = start; at < size && !this.limited; ) {
        const length = at < task.end ? Math.min(CHUNK, task.end - at) : CHUNK;
        this.feed(this.chunk(at, length));
        at += length;
        if (at === task.end) this.boundary = this.decoder.encoding !== undefined ? this.fed : this.charsBefore(start, task.end);
      }
      if (!this.limited) {
        const rest = this.lineEnds.normalize(this.decoder.end()) + this.lineEnds.end();
        this.give(rest);
        if (task.exact) this.tokenizer.end();
        else clean = this.tokenizer.atRest();
      }
    } catch (thrown) {
      const error = this.adapter.flushBefore(thrown); // the events before the fault or the range's end go first
      if (error instanceof RangeEnd) next = { at: this.nextRecord(), open: this.path.slice() };
      else {
        const where = placed(error, this.tokenizer, this.lineEnds);
        if (!(where instanceof XmlSyntaxError)) throw where;
        fault = { reason: where.reason, code: where.code, line: where.line!, column: where.column! };
        body = this.take(); // the records before the fault; what failing writes is the closing
        try {
          fail(this.chain, where); // the stages' finally blocks run
        } catch {
          // the fault comes back out of the chain: it is ours already
        }
      }
    }
    if (fault === undefined) {
      body = this.take();
      close(this.chain);
    }
    const result = this.result(start, preamble, body, next, clean, this.takeText());
    if (fault !== undefined) result.fault = fault;
    if (this.selector?.found === false && task.exact && task.from === 0) result.inventory = { repeated: this.inventory.repeated(), root: this.inventory.root };
    return result;
  }

  private result(start: number | undefined, preamble: string, body: Uint8Array[], next: RangeResult['next'], clean: boolean, postamble = ''): RangeResult {
    return { start, preamble, body, postamble, outer: this.outer, contentAfterOuter: this.contentAfterOuter, next, deepest: this.deepest, made: this.made, kept: this.kept, clean };
  }

  private write(text: string): void {
    if (this.buffer.length - this.used < 3 * text.length) {
      this.end();
      // memory of its own, handed over whole; buffers the main thread has written come back (recycle())
      const spare = 3 * text.length <= BUFFER ? spares.pop() : undefined;
      this.buffer = spare === undefined ? Buffer.allocUnsafeSlow(Math.max(BUFFER, 3 * text.length)) : Buffer.from(spare);
    }
    this.used += this.buffer.write(text, this.used);
  }

  private end(): void {
    if (this.used > 0) this.bytesOut.push(this.buffer.subarray(0, this.used));
    this.buffer = this.buffer.subarray(this.used);
    this.used = 0;
  }

  /** What was written since the last take(): its buffers. */
  private take(): Uint8Array[] {
    this.end();
    const taken = this.bytesOut;
    this.bytesOut = [];
    return taken;
  }

  /** What was written since the last take(), as text (a preamble, a postamble: a few characters). */
  private takeText(): string {
    return this.take().map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString()).join('');
  }

  private bytes(at: number, length: number): Uint8Array {
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(this.fd, buffer, 0, length, at);
    return buffer.subarray(0, read);
  }

  /** Bytes [at, at + length ≤ CHUNK) in the one buffer every chunk is read into (the decoder keeps none of it). */
  private chunk(at: number, length: number): Uint8Array {
    return this.reused.subarray(0, readSync(this.fd, this.reused, 0, length, at));
  }

  private feed(bytes: Uint8Array): void {
    const text = this.lineEnds.normalize(this.decoder.decode(bytes));
    this.give(text, this.decoder.checked);
  }

  private give(text: string, checked = false): void {
    if (text === '') return;
    if (this.boundary !== Infinity) {
      if (this.afterBoundary.length === 0) this.afterStart = this.fed;
      this.afterBoundary.push(text);
    }
    this.fed += text.length;
    this.tokenizer.write(text, checked);
  }

  /**
   * Characters before byte `end` while the decoder still waits to know the encoding: the range ends in
   * a document's first bytes (fewer than an XML declaration's five), UTF-8 by then.
   */
  private charsBefore(start: number, end: number): number {
    return new LineEnds().normalize(Buffer.from(this.bytes(start, end - start)).toString('utf8')).length;
  }

  /** The first `<NAME` (a record's name, then a character that ends it) at or after `from`, before `end`. */
  private candidate(from: number, end: number): number | undefined {
    const longest = Math.max(...this.names.map((name) => name.length)) + 2;
    for (let at = from; at < end; at += CHUNK) {
      const window = Buffer.from(this.bytes(at, CHUNK + longest));
      let best = -1;
      for (const name of this.names) {
        const needle = Buffer.from('<' + name, 'latin1');
        for (let i = window.indexOf(needle); i >= 0 && i < CHUNK && at + i < end; i = window.indexOf(needle, i + 1)) {
          const after = window[i + needle.length];
          if (after === undefined || after === 0x3e || after === 0x2f || isXmlSpace(after)) {
            if (best < 0 || i < best) best = i;
            break;
          }
        }
      }
      if (best >= 0) return at + best;
    }
    return undefined;
  }

  /** The byte of the record start where reading stopped: as many '<' after `end` as in the text after the boundary. */
  private nextRecord(): number {
    const from = this.boundary - this.afterStart;
    const before = this.tokenizer.offset() - this.afterStart;
    let lts = 0;
    let seen = 0;
    for (const text of this.afterBoundary) {
      for (let i = text.indexOf('<'); i >= 0 && seen + i < before; i = text.indexOf('<', i + 1)) if (seen + i >= from) lts++;
      seen += text.length;
      if (seen >= before) break;
    }
    for (let at = this.task.end; ; at += CHUNK) {
      const window = this.bytes(at, CHUNK);
      for (let i = window.indexOf(0x3c); i >= 0; i = window.indexOf(0x3c, i + 1)) if (lts-- === 0) return at + i;
    }
  }

  // ── the tokenizer's calls, followed here and passed to the adapter ──

  startTag(name: string, attrs: Record<string, string>): void {
    if (this.recordDepth === 0) {
      if (this.outer.length > 0 && this.path.length === 0) this.contentAfterOuter = this.outer.length;
      if (this.selector?.starts(name, this.path) === true) {
        if (this.tokenizer.offset() >= this.boundary) throw new RangeEnd();
        this.recordDepth = 1;
      } else this.path.push(name);
    } else this.recordDepth++;
    this.deepest = Math.max(this.deepest, this.path.length - this.task.open.length + this.recordDepth);
    this.adapter.startTag(name, attrs);
  }

  endTag(name: string): void {
    if (this.recordDepth > 0) this.recordDepth--;
    else this.path.pop();
    this.adapter.endTag(name);
  }

  text(source: string, start: number, end: number): void {
    if (this.outer.length > 0 && this.path.length === 0 && this.recordDepth === 0) {
      for (let i = start; i < end; i++) {
        if (!isXmlSpace(source.charCodeAt(i))) {
          this.contentAfterOuter = this.outer.length;
          break;
        }
      }
    }
    this.adapter.text(source, start, end);
  }

  outerEnd(name: string): void {
    this.adapter.outerEnd(name);
  }

  flush(): void {
    this.adapter.flush();
  }
}

function fileSize(fd: number): number {
  return fstatSync(fd).size;
}
