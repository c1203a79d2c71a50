// -j N on one big file: the file is cut into byte ranges, each read by a worker (range.ts), and the
// output is written in input order, byte for byte what one core writes. A record belongs to the
// range in which its start tag's '<' lies. A range after the first is read speculatively, from its
// first `<NAME`; the exact parse of the range before says where the range's first record truly
// begins and which elements are open there. Where the two agree, and the speculation saw nothing the
// exact parse could see otherwise (an end tag of an element it could not know, the root closing, a
// fault, a depth it could not count), its output is taken; otherwise the range is read again, exactly.

import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { XmlSyntaxError, type XmlPosition } from '../errors.js';
import { limitsOf } from '../limits.js';
import { LineEnds, XmlDecoder } from '../xml/decode.js';
import { Tokenizer } from '../xml/tokenizer.js';
import { Worker } from 'node:worker_threads';
import { type ChainSpec, type RangeResult, type RangeTask } from './range.js';

export type Execute = (task: RangeTask) => Promise<RangeResult>;

/** How a file is cut: where its prolog ends, and where each range ends. */
export interface Plan {
  prolog: number;
  ends: number[];
}

const MiB = 1024 * 1024;
const PROBE = 4 * MiB; // the prolog is looked for in the file's first bytes

/** A file's ranges, or why it is read on one core (said with --verbose). */
export function planRanges(file: string, spec: ChainSpec, jobs: number, step?: number): Plan | { oneCore: string } {
  if (spec.element.length === 0) return { oneCore: 'the whole document is one value (no -e)' };
  const kinds = new Set(spec.element.map((selector) => selector.startsWith('/')));
  if (kinds.size > 1) return { oneCore: 'record names and /paths together' };
  if (spec.format === 'csv' && spec.fields === undefined && spec.count !== true) return { oneCore: 'CSV columns come from the first record (give --fields)' };
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, PROBE));
    readSync(fd, head, 0, head.length, 0);
    if (compressed(head)) return { oneCore: 'compressed input is read as one stream' };
    const prolog = prologEnd(head);
    if (typeof prolog === 'string') return { oneCore: prolog };
    const each = step ?? Math.max(MiB, Math.min(8 * MiB, Math.ceil(size / (jobs * 8))));
    if (step === undefined && size - prolog < 2 * each) return { oneCore: 'the file is small' };
    const ends: number[] = [];
    for (let end = prolog + each; end < size; end += each) ends.push(end);
    ends.push(size);
    return { prolog, ends };
  } finally {
    closeSync(fd);
  }
}

const MAGIC = [[0x1f, 0x8b], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd]];

function compressed(head: Uint8Array): boolean {
  return MAGIC.some((magic) => magic.every((byte, i) => head[i] === byte));
}

/** The byte where the root element's '<' is, or why the file cannot be cut. */
function prologEnd(head: Uint8Array): number | string {
  const decoder = new XmlDecoder();
  const lineEnds = new LineEnds();
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
  let text = '';
  try {
    text = lineEnds.normalize(decoder.decode(head));
    tokenizer.write(text);
  } catch (error) {
    if (error !== found) return 'a fault in the prolog'; // one core reports it as one core would
  }
  if (root < 0) return 'no root element in the first 4 MiB';
  if (decoder.encoding === undefined || /^utf-16/i.test(decoder.encoding)) return 'UTF-16 is not cut into ranges';
  // '<' is one byte in every encoding read here, and line ends do not change: the root's '<' is the
  // byte with as many '<' before it as the text has.
  let before = 0;
  for (let i = text.indexOf('<'); i >= 0 && i < root; i = text.indexOf('<', i + 1)) before++;
  for (let i = head.indexOf(0x3c); i >= 0; i = head.indexOf(0x3c, i + 1)) if (before-- === 0) return i;
  return 'no root element';
}

export interface Output {
  write(text: string): void;
  drained(): Promise<void>;
}

/** Reads a planned file on the workers `execute` stands for, and writes its output in order. */
export async function convertRanges(file: string, plan: Plan, spec: ChainSpec, execute: Execute, out: Output, jobs: number): Promise<void> {
  const { ends } = plan;
  const names = spec.element;
  const byPath = names[0]!.startsWith('/');
  const assumed = byPath ? names[0]!.split('/').slice(1, -1) : []; // a path selector's parents: all the same, or one core
  const maxDepth = limitsOf(spec.limits).maxDepth;
  const framing = framingOf(spec);
  const task = (k: number, exact?: { at: number; open: readonly string[] }): RangeTask => ({
    file,
    prolog: plan.prolog,
    from: exact?.at ?? (k === 0 ? 0 : ends[k - 1]!),
    exact: exact !== undefined || k === 0,
    open: exact?.open ?? assumed,
    unknownAbove: exact === undefined && k > 0 && !byPath,
    end: ends[k]!,
    spec,
  });

  const pending = new Map<number, Promise<RangeResult>>();
  const window = 2 * jobs; // ranges read ahead of the one being written: memory holds their output
  let expect: { at: number; open: readonly string[] } | undefined = { at: 0, open: [] };
  for (let k = 0; k < ends.length && expect !== undefined; k++) {
    for (let j = k; j < Math.min(ends.length, k + window); j++) if (!pending.has(j)) pending.set(j, execute(task(j)));
    let result = await pending.get(k)!;
    pending.delete(k);
    const start = k === 0 ? 0 : expect.at;
    let open: readonly string[] | undefined;
    if (k > 0) {
      if (expect.at >= ends[k]!) continue; // this range has no record: the one before read past it
      open = trusted(result, expect, byPath ? assumed : undefined, maxDepth);
      if (open === undefined) result = await execute(task(k, expect));
    }
    open ??= result.next?.open;
    framing.add(result);
    out.write(framing.take());
    await out.drained();
    if (result.fault !== undefined) {
      out.write(framing.end());
      await out.drained();
      const relative = result.fault;
      throw new XmlSyntaxError(relative.reason, start === 0 ? relative : absolute(file, start, relative), relative.code);
    }
    expect = result.next === undefined ? undefined : { at: result.next.at, open: open ?? [] };
  }
  for (const left of pending.values()) left.catch(() => undefined); // ranges read ahead past the end
  out.write(framing.end());
  await out.drained();
}

/** A speculation's output may be taken: the elements open at its next record; undefined: read it again. */
function trusted(result: RangeResult, expect: { at: number; open: readonly string[] }, assumed: readonly string[] | undefined, maxDepth: number): readonly string[] | undefined {
  if (result.fault !== undefined || result.start !== expect.at) return undefined;
  if (assumed !== undefined) {
    // a path selector: the speculation assumed the elements open; they are exactly known
    if (expect.open.length !== assumed.length || expect.open.some((name, i) => name !== assumed[i])) return undefined;
    if (result.next === undefined && !result.clean) return undefined;
    return result.next?.open ?? [];
  }
  if (expect.open.length + result.deepest > maxDepth) return undefined;
  const stack = [...expect.open];
  for (let i = 0; i < result.outer.length; i++) {
    if (stack.pop() !== result.outer[i]) return undefined; // an end tag that does not match: a fault, placed exactly
    if (stack.length === 0 && result.contentAfterOuter > i) return undefined; // the root closed, and more came
  }
  if (result.next === undefined) return result.clean && stack.length === 0 ? [] : undefined; // the end of the file
  return [...stack, ...result.next.open];
}

/** How the ranges' texts join into one output, by format. */
function framingOf(spec: ChainSpec) {
  const array = (spec.format ?? 'json') === 'json' && spec.count !== true;
  let text = '';
  let first = true; // nothing written yet
  let count = 0;
  let preamble: string | undefined;
  let postamble = '';
  return {
    add(result: RangeResult): void {
      if (preamble === undefined) text += preamble = result.preamble; // a CSV header, once
      if (spec.count === true) count += Number(result.postamble.trim() || 0);
      else if (array && result.body !== '') {
        text += (first ? '[' : ',') + result.body.slice(1); // each range's records begin '[' in its own array
        first = false;
      } else {
        text += result.body;
        postamble = result.postamble;
      }
    },
    take(): string {
      const taken = text;
      text = '';
      return taken;
    },
    end(): string {
      if (spec.count === true) return `${count}\n`;
      return array ? (first ? '[]\n' : '\n]\n') : postamble;
    },
  };
}

/** A fault placed from `start` (line 1 is the line `start` is on), placed from the file's start. */
function absolute(file: string, start: number, relative: XmlPosition): XmlPosition {
  const fd = openSync(file, 'r');
  try {
    const decoder = new XmlDecoder();
    const lineEnds = new LineEnds();
    let line = 1;
    let column = 1;
    const buffer = Buffer.alloc(1024 * 1024);
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


/** N worker threads, each reading one range at a time (worker.ts). */
export function workerPool(jobs: number): { execute: Execute; close(): Promise<void> } {
  const queue: Array<{ task: RangeTask; resolve(result: RangeResult): void; reject(error: Error): void }> = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, (typeof queue)[number]>();
  const workers = Array.from({ length: jobs }, () => {
    // the young generation held small, as the command line holds its own (src/io/memory.ts)
    const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 16 } });
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
    worker.unref();
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
  return {
    execute: (task) =>
      new Promise((resolve, reject) => {
        queue.push({ task, resolve, reject });
        next();
      }),
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
