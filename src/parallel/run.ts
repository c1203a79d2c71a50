// -j N: a big file is cut into byte ranges, each read by a worker (range.ts), and the output is
// written in input order, byte for byte what one core writes. A record belongs to the range in which
// its start tag's '<' lies. A range after a file's first is read speculatively, from its first
// `<NAME`; the exact parse of the range before says where the range's first record truly begins and
// which elements are open there. Where the two agree, and the speculation saw nothing the exact parse
// could see otherwise (an end tag of an element it could not know, the root closing, a fault, a
// depth it could not count), its output is taken; otherwise the range is read again, exactly.
// Several inputs are units in argument order; one that cannot be cut is read whole, on a worker or here.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { limitsOf } from '../limits.js';
import { LineEnds, XmlDecoder } from '../xml/decode.js';
import { Tokenizer } from '../xml/tokenizer.js';
import type { Repeated } from '../inventory.js';
import { type ChainSpec, type RangeResult, type RangeTask, readRange } from './range.js';

export type Execute = ((task: RangeTask) => Promise<RangeResult>) & {
  /** gives back the memory of a result's body, once written out */
  recycle?(buffers: ArrayBuffer[]): void;
};

/** Where reading begins exactly: a record's '<' and the elements open there (byte 0: the document's start). */
export interface Start {
  at: number;
  open: readonly string[];
}

/** How a file is cut: where its prolog ends, where reading begins, and where each range ends. */
export interface Plan {
  prolog: number;
  start: Start;
  ends: number[];
}

/** What an output is made of, in argument order. */
export type Unit =
  | { kind: 'ranges'; file: string; plan: Plan }
  /** read in this thread (stdin, compressed, UTF-16…): `read` makes the chain with `write`, calls `started` once it is made, `drained` after each chunk */
  | { kind: 'here'; name: string; read(hooks: HereHooks): Promise<Absent | undefined> };

/** What a document has instead of the records asked for (the command line names its repeated elements). */
export interface Absent {
  repeated: Repeated[];
  root: string | undefined;
}

export interface HereHooks {
  write(text: string): void;
  started(): void;
  drained(): Promise<void>;
  /** --limit: the records still wanted (reading stops once they are kept), and told of each kept */
  limit: number | undefined;
  kept(): void;
}

const MiB = 1024 * 1024;
const PROBE = 4 * MiB; // the prolog is looked for in the file's first bytes
const PROLOG_CHUNK = 64 * 1024;

/** A file's ranges, or why it is read on one core (said with --verbose). */
export function planRanges(file: string, spec: ChainSpec, jobs: number, step?: number): Plan | { oneCore: string } {
  const head = headOf(file, spec.encoding);
  if (typeof head === 'string') return { oneCore: head };
  const { size, prolog } = head;
  const cuttable = whyNotCut(spec);
  if (cuttable !== undefined) return { oneCore: cuttable };
  const each = step ?? Math.max(MiB, Math.min(4 * MiB, Math.ceil(size / (jobs * 8))));
  if (step === undefined && size - prolog < 2 * each) return { oneCore: 'the file is small' };
  const ends: number[] = [];
  for (let end = prolog + each; end < size; end += each) ends.push(end);
  ends.push(size);
  return { prolog, start: { at: 0, open: [] }, ends };
}

/** A file read whole by one worker (several documents, one per worker): undefined when it cannot be read at any byte. */
export function wholeFile(file: string, encoding?: string): Plan | { oneCore: string } {
  const head = headOf(file, encoding);
  return typeof head === 'string' ? { oneCore: head } : { prolog: head.prolog, start: { at: 0, open: [] }, ends: [head.size] };
}

/** Why records cannot be found by their bytes with these options, or undefined. */
function whyNotCut(spec: ChainSpec): string | undefined {
  if (spec.element.length === 0) return 'the whole document is one value (no -e)';
  if (new Set(spec.element.map((selector) => selector.startsWith('/'))).size > 1) return 'record names and /paths together';
  if (spec.stripNamespaces === true) return '--strip-ns matches names without their prefixes, which are not in the bytes';
  if (spec.format === 'csv' && spec.fields === undefined && spec.count !== true) return 'CSV columns come from the first record (give --fields)';
  return undefined;
}

/**
 * --shard K/N: the K-th of N byte ranges. The bytes before it are read first, exactly and without
 * converting them, to know where its first record begins; undefined when no record begins in it.
 */
export async function planShard(file: string, spec: ChainSpec, shard: number, shards: number, jobs: number, execute: Execute): Promise<Plan | { oneCore: string } | undefined> {
  const head = headOf(file, spec.encoding);
  if (typeof head === 'string') return { oneCore: head };
  const cuttable = whyNotCut(spec);
  if (cuttable !== undefined) return { oneCore: cuttable };
  const { size, prolog } = head;
  const bound = (k: number) => (k === shards ? size : k === 0 ? 0 : prolog + Math.floor(((size - prolog) * k) / shards));
  const [from, to] = [bound(shard - 1), bound(shard)];
  let start: Start = { at: 0, open: [] };
  if (shard > 1) {
    const before = await execute({ file, prolog, from: 0, exact: true, open: [], unknownAbove: false, end: from, spec, discard: true });
    if (before.fault !== undefined) throw new XmlSyntaxError(before.fault.reason, before.fault, before.fault.code).inFile(file);
    if (before.next === undefined || before.next.at >= to) return undefined;
    start = before.next;
  }
  const each = Math.max(MiB, Math.min(4 * MiB, Math.ceil((to - start.at) / (jobs * 8))));
  const ends: number[] = [];
  for (let end = start.at + each; end < to; end += each) ends.push(end);
  ends.push(to);
  return { prolog, start, ends };
}

/** The file's size and where its root element begins, or why it is not cut. */
function headOf(file: string, encoding: string | undefined): { size: number; prolog: number } | string {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    const head = Buffer.alloc(Math.min(size, PROBE));
    readSync(fd, head, 0, head.length, 0);
    if (compressed(head)) return 'compressed input is read as one stream';
    const prolog = prologEnd(head, encoding);
    return typeof prolog === 'string' ? prolog : { size, prolog };
  } finally {
    closeSync(fd);
  }
}

const MAGIC = [[0x1f, 0x8b], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd]];

function compressed(head: Uint8Array): boolean {
  return MAGIC.some((magic) => magic.every((byte, i) => head[i] === byte));
}

/** The byte where the root element's '<' is, or why the file cannot be cut. */
function prologEnd(head: Uint8Array, encoding: string | undefined): number | string {
  const decoder = new XmlDecoder(encoding);
  let root = -1;
  const found = new Error('root');
  const tokenizer = new Tokenizer(
    {
      startTag() {
        root = tokenizer.offset();
        throw found;
      },
      endTag() {},
      text() {},
    },
    { maxText: limitsOf({}).maxText },
  );
  const lineEnds = new LineEnds();
  const read: string[] = [];
  try {
    // a chunk at a time, to the root's start tag: decoding all 4 MiB to find a prolog of a few lines took ~70 ms
    for (let at = 0; at < head.length; at += PROLOG_CHUNK) {
      read.push(lineEnds.normalize(decoder.decode(head.subarray(at, at + PROLOG_CHUNK))));
      tokenizer.write(read[read.length - 1]!);
    }
  } catch (error) {
    if (error !== found) return 'a fault in the prolog'; // one core reports it as one core would
  }
  const text = read.join('');
  if (root < 0) return 'no root element in the first 4 MiB';
  if (decoder.encoding === undefined || /^utf-16/i.test(decoder.encoding)) return `UTF-16${encoding === undefined ? '' : ` (--encoding ${encoding})`} is not cut into ranges`;
  // '<' is one byte in every encoding read here, and line ends do not change: the root's '<' is the
  // byte with as many '<' before it as the text has.
  let before = 0;
  for (let i = text.indexOf('<'); i >= 0 && i < root; i = text.indexOf('<', i + 1)) before++;
  for (let i = head.indexOf(0x3c); i >= 0; i = head.indexOf(0x3c, i + 1)) if (before-- === 0) return i;
  return 'no root element';
}

export interface Output {
  write(text: string | Uint8Array): void;
  drained(): Promise<void>;
  /** everything written has left the process (its bytes may be used again) */
  flushed?(): Promise<void>;
  /** told of each range done: its bytes, and the records made in it */
  progress?(bytes: number, records: number): void;
}

/** A fault: written after every record before it, then thrown, placed in its file. */
class Placed extends Error {
  constructor(readonly fault: XmlSyntaxError) {
    super(fault.message);
  }
}

/**
 * Reads the units on the workers `execute` stands for, a window of ranges ahead, and writes their
 * output in order. `preamble`: whether the output's header (CSV) is written (a shard after the first: no).
 * `keepGoing` (--keep-going) is given a unit's fault, after its records before it: true goes on at the next unit.
 */
export async function convertUnits(units: readonly Unit[], spec: ChainSpec, execute: Execute, out: Output, jobs: number, preamble = true, keepGoing?: (error: unknown, name: string) => boolean): Promise<Map<number, Absent>> {
  const absent = new Map<number, Absent>(); // the units with no record: what each has instead
  const framing = framingOf(spec, preamble);
  // every range of every file, in order: a window of them is read ahead, across files too
  const steps = units.flatMap((unit, u) => (unit.kind === 'ranges' ? unit.plan.ends.map((_, k) => ({ u, k })) : [{ u, k: -1 }]));
  const ahead = new Map<number, Promise<RangeResult>>();
  const speculation = (s: number): RangeTask => {
    const { u, k } = steps[s]!;
    const { file, plan } = units[u] as Extract<Unit, { kind: 'ranges' }>;
    return k === 0 ? exactTask(file, plan, plan.start, plan.ends[0]!, spec) : speculativeTask(file, plan, k, spec);
  };
  const window = jobs + 1; // ranges read ahead of the one being written: memory holds their output
  let expect: Start | undefined;
  let kept = 0; // --limit: the records written so far
  const wanted = spec.limit ?? Infinity;
  try {
    for (let s = 0; s < steps.length && kept < wanted; s++) {
      const { u, k } = steps[s]!;
      const unit = units[u]!;
      if (unit.kind === 'here') {
        try {
          const none = await readHere(unit, framing, spec, out, { limit: spec.limit === undefined ? undefined : wanted - kept, kept: () => void kept++ });
          if (none !== undefined) absent.set(u, none);
        } catch (error) {
          if (keepGoing?.(error, unit.name) !== true) throw error;
        }
        continue;
      }
      for (let t = s; t < Math.min(steps.length, s + window); t++) {
        if (!ahead.has(t) && steps[t]!.k >= 0) ahead.set(t, execute(speculation(t)).catch((error: unknown) => Promise.reject(error)));
      }
      let result = await ahead.get(s)!;
      ahead.delete(s);
      if (k === 0) expect = unit.plan.start;
      if (expect === undefined) continue; // the file ended in a range before this one
      const { plan, file } = unit;
      const from = expect;
      if (k > 0) {
        if (from.at >= plan.ends[k]!) continue; // no record begins in this range: the one before read past it
        const open = trusted(result, from, spec, plan);
        if (open === undefined) result = await execute(exactTask(file, plan, from, plan.ends[k]!, spec));
        else result.next = result.next === undefined ? undefined : { at: result.next.at, open: [...open] };
      }
      if (kept + result.kept >= wanted) {
        // --limit: the last range wanted, read again for only the records still wanted when it has more;
        // a fault after them lies in what need not have been read
        if (kept + result.kept > wanted) result = await execute(exactTask(file, plan, from, plan.ends[k]!, { ...spec, limit: wanted - kept }));
        delete result.fault;
      }
      kept += result.kept;
      framing.add(result, true);
      if (result.inventory !== undefined) absent.set(u, result.inventory);
      for (const piece of framing.take()) out.write(piece);
      await out.drained();
      out.progress?.(plan.ends[k]! - (k === 0 ? plan.start.at : plan.ends[k - 1]!), result.made);
      if (execute.recycle !== undefined && out.flushed !== undefined) {
        const buffers = [...new Set(result.body.map((bytes) => bytes.buffer as ArrayBuffer))];
        void out.flushed().then(() => execute.recycle!(buffers));
      }
      expect = result.next;
      if (result.fault !== undefined) {
        const { reason, code } = result.fault;
        const fault = new XmlSyntaxError(reason, from.at === 0 ? result.fault : absolute(file, from.at, result.fault, spec.encoding), code).inFile(file);
        if (keepGoing?.(fault, file) !== true) throw new Placed(fault);
        expect = undefined; // the file's later ranges are not wanted
      }
    }
  } catch (error) {
    for (const left of ahead.values()) left.catch(() => undefined); // ranges read ahead of a fault
    out.write(framing.end());
    await out.drained();
    throw error instanceof Placed ? error.fault : error;
  }
  for (const left of ahead.values()) left.catch(() => undefined); // ranges read ahead of the limit
  out.write(framing.end());
  await out.drained();
  return absent;
}

function exactTask(file: string, plan: Plan, from: Start, end: number, spec: ChainSpec): RangeTask {
  return { file, prolog: plan.prolog, from: from.at, exact: true, open: from.open, unknownAbove: false, end, spec };
}

function speculativeTask(file: string, plan: Plan, k: number, spec: ChainSpec): RangeTask {
  const byPath = spec.element[0]!.startsWith('/');
  const open = byPath ? spec.element[0]!.split('/').slice(1, -1) : []; // a path selector's parents: all the same
  return { file, prolog: plan.prolog, from: plan.ends[k - 1]!, exact: false, open, unknownAbove: !byPath, end: plan.ends[k]!, spec };
}

/** A speculation's output may be taken: the elements open at its next record; undefined: read it again. */
function trusted(result: RangeResult, expect: Start, spec: ChainSpec, plan: Plan): readonly string[] | undefined {
  if (result.fault !== undefined || result.start !== expect.at) return undefined;
  if (spec.element[0]!.startsWith('/')) {
    // a path selector: the speculation assumed the elements open; they are exactly known
    const assumed = speculativeTask('', plan, 1, spec).open;
    if (expect.open.length !== assumed.length || expect.open.some((name, i) => name !== assumed[i])) return undefined;
    if (result.next === undefined && !result.clean) return undefined;
    return result.next?.open ?? [];
  }
  if (expect.open.length + result.deepest > limitsOf(spec.limits).maxDepth) return undefined;
  const stack = [...expect.open];
  for (let i = 0; i < result.outer.length; i++) {
    if (stack.pop() !== result.outer[i]) return undefined; // an end tag that does not match: a fault, placed exactly
    if (stack.length === 0 && result.contentAfterOuter > i) return undefined; // the root closed, and more came
  }
  if (result.next === undefined) return result.clean && stack.length === 0 ? [] : undefined; // the end of the file
  return [...stack, ...result.next.open];
}

/**
 * A unit read in this thread, written as it comes. Its chain closes its own output at the end (a JSON
 * array's "]", the count): those last characters are held back, and framed as a range's are.
 */
async function readHere(unit: Extract<Unit, { kind: 'here' }>, framing: Framing, spec: ChainSpec, out: Output, limit: Pick<HereHooks, 'limit' | 'kept'>): Promise<Absent | undefined> {
  const count = spec.count === true;
  const array = (spec.format ?? 'json') === 'json' && (spec.element.length > 0 || spec.array === true);
  const hold = count ? Infinity : array ? 3 : 0; // '\n]\n' or '[]\n'
  let preamble = '';
  let body = '';
  let started = false;
  const flush = async (final: boolean): Promise<void> => {
    const keep = final ? 0 : Math.min(hold, body.length);
    framing.add({ preamble, body: [body.slice(0, body.length - keep)], postamble: '' }, false);
    preamble = '';
    body = body.slice(body.length - keep);
    for (const piece of framing.take()) out.write(piece);
    await out.drained();
  };
  try {
    return await unit.read({
      ...limit,
      write: (text) => void (started ? (body += text) : (preamble += text)),
      started: () => void (started = true),
      drained: () => flush(false),
    });
  } finally {
    // what the chain wrote when it closed, on success or on a fault
    const closing = count ? body : !array ? '' : body === '[]\n' ? body : body.endsWith('\n]\n') ? '\n]\n' : '';
    body = body.slice(0, body.length - closing.length);
    await flush(true);
    framing.add({ preamble: '', body: [], postamble: closing }, true);
  }
}

type Framing = ReturnType<typeof framingOf>;

/** How the units' texts join into one output, by format. A range's body comes as UTF-8 bytes from its worker. */
function framingOf(spec: ChainSpec, header: boolean) {
  const array = (spec.format ?? 'json') === 'json' && spec.count !== true && (spec.element.length > 0 || spec.array === true); // as chain.ts's emitter
  let pieces: Array<string | Uint8Array> = [];
  let first = true; // no record written yet
  let count = 0;
  let opened = false; // the unit being written has begun its array
  return {
    /** A piece of a unit's output: its header, its records, and, when it `closes`, what its chain wrote then. */
    add(piece: { preamble: string; body: ReadonlyArray<string | Uint8Array>; postamble: string }, closes: boolean): void {
      if (header) {
        pieces.push(piece.preamble); // a CSV header, once
        header = false;
      }
      if (spec.count === true) {
        if (closes) count += Number(piece.postamble.trim() || 0);
      } else {
        for (const part of piece.body) {
          if (part.length === 0) continue;
          // each unit's records begin '[' in an array of its own: one array, with ',' between records
          if (!array || opened) pieces.push(part);
          else pieces.push(first ? '[' : ',', typeof part === 'string' ? part.slice(1) : part.subarray(1));
          first = false;
          opened = true;
        }
      }
      if (closes) opened = false;
    },
    take(): Array<string | Uint8Array> {
      const taken = pieces;
      pieces = [];
      return taken;
    },
    end(): string {
      if (spec.count === true) return `${count}\n`;
      return array ? (first ? '[]\n' : '\n]\n') : '';
    },
  };
}

/** A fault placed from `start` (line 1 is the line `start` is on), placed from the file's start. */
function absolute(file: string, start: number, relative: XmlPosition, encoding: string | undefined): XmlPosition {
  const fd = openSync(file, 'r');
  try {
    const decoder = new XmlDecoder(encoding);
    const lineEnds = new LineEnds();
    let line = 1;
    let column = 1;
    const buffer = Buffer.alloc(MiB);
    for (let at = 0; at < start; ) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, start - at), at);
      if (read === 0) break;
      at += read;
      const text = lineEnds.normalize(decoder.decode(buffer.subarray(0, read)));
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a) (line++, (column = 1));
        else if (!(c >= 0xdc00 && c <= 0xdfff)) column++; // a surrogate pair is one character
      }
    }
    return relative.line === 1 ? { line, column: column + relative.column - 1 } : { line: line + relative.line - 1, column: relative.column };
  } finally {
    closeSync(fd);
  }
}

/** Ranges read in this thread, one after another: the same code, no threads (tests, and -j 1). */
export const inThisThread: Execute = async (task) => readRange(task);

/** N worker threads, each reading one range at a time (worker.ts). */
export function workerPool(jobs: number): { execute: Execute; close(): Promise<void> } {
  const queue: Array<{ task: RangeTask; resolve(result: RangeResult): void; reject(error: Error): void }> = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, (typeof queue)[number]>();
  const workers = Array.from({ length: jobs }, () => {
    // the young generation held small, as the command line holds its own (src/io/memory.ts)
    const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 12 } });
    worker.on('message', (message: { result?: RangeResult; error?: { message: string; stack?: string } }) => {
      const job = busy.get(worker)!;
      busy.delete(worker);
      if (message.error !== undefined) job.reject(Object.assign(new Error(message.error.message), { stack: message.error.stack }));
      else job.resolve(message.result!);
      idle.push(worker);
      next();
    });
    worker.on('error', (error) => {
      busy.get(worker)?.reject(error);
      busy.delete(worker);
    });
    idle.push(worker);
    return worker;
  });
  const next = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      busy.set(worker, job);
      worker.postMessage(job.task);
    }
  };
  let turn = 0;
  const execute: Execute = (task) =>
    new Promise((resolve, reject) => {
      queue.push({ task, resolve, reject });
      next();
    });
  execute.recycle = (buffers) => workers[turn++ % workers.length]!.postMessage({ recycle: buffers }, buffers);
  return {
    execute,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
