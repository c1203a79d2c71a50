// -j N and --shard K/N for the command line and records(): each input becomes a unit of work — a file
// cut into ranges, a whole file on a worker, or a stream read here — and why, for --verbose.

import { availableParallelism } from 'node:os';
import { type Chunk, type ParseOptions, parse } from '../driver.js';
import { decompressed } from '../io/source.js';
import type { RecordsOptions } from '../api.js';
import { pipelineOfInputs } from '../chain.js';
import { close, coroutine, send } from '../coroutine.js';
import { XmlSyntaxError } from '../errors.js';
import { whereTest } from '../query.js';
import { type Json, coerceValues } from '../stages/build.js';
import { limit } from '../stages/limit.js';
import { where } from '../stages/where.js';
import { type ChainSpec, optionsOf } from './range.js';
import type { RecordSkipper } from '../skip.js';
import { parseShape } from '../shape.js';

/** A sink that gathers what it is sent (api.ts's, here without importing the library's front). */
function gather(into: Json[]) {
  return coroutine(function* (): Generator<unknown, void, Json> {
    for (;;) into.push(yield);
  })();
}
import { type Execute, type Plan, type Unit, convertUnits, planRanges, planShard, wholeFile, workerPool } from './run.js';

export interface Input {
  name: string;
  /** a regular file: it can be read at any byte */
  file?: string | undefined;
  open(): AsyncIterable<Chunk>;
}

/** -j 0: every core. */
export const jobsOf = (jobs: number): number => (jobs === 0 ? availableParallelism() : jobs);

/**
 * The units of work for these inputs, and a line for each on how it is read. `parse` is how the
 * here-read ones are parsed; `onRecord` counts their records (the progress bar). `skipperOf`
 * (--on-error skip) reads every input here: skipping reads on after a fault, in order, counting records.
 */
export function unitsOf(inputs: readonly Input[], spec: ChainSpec, jobs: number, options: Omit<ParseOptions, 'file'>, onRecord?: () => void, skipperOf?: (input: string) => RecordSkipper): { units: Unit[]; said: string[] } {
  const units: Unit[] = [];
  const said: string[] = [];
  for (const input of inputs) {
    if (skipperOf !== undefined) said.push(`${input.name}: one core: --on-error skip reads on after a fault in order, counting the records from the start`);
    else if (input.file !== undefined) {
      const plan = spec.element.length === 0 ? wholeFile(input.file, spec.encoding) : planRanges(input.file, spec, jobs);
      if ('ends' in plan) {
        units.push({ kind: 'ranges', file: input.file, plan });
        said.push(plan.ends.length > 1 ? `${input.name}: ${plan.ends.length} ranges on ${jobs} workers` : `${input.name}: on a worker, whole`);
        continue;
      }
      said.push(`${input.name}: one core: ${plan.oneCore}`);
    } else said.push(`${input.name}: one core: a stream is read as it comes`);
    units.push({
      kind: 'here',
      name: input.name,
      read: async ({ write, started, drained, limit, kept }) => {
        let enough = false; // --limit: the records still wanted are kept
        const chain = pipelineOfInputs({ ...optionsOf(spec, onRecord), limit, onKept: kept, onLimit: () => (enough = true) }, write);
        const skip = skipperOf?.(input.name);
        const head = chain.next(skip?.recordStarted, input.name);
        started();
        try {
          await parse(decompressed(input.open()), head.events, { ...options, file: input.name, drained, stop: () => enough, skip });
        } catch (error) {
          if (!(enough && error instanceof XmlSyntaxError)) throw error; // a fault after them need not have been read
        } finally {
          chain.close();
        }
        return head.selector?.found === false ? { repeated: head.inventory.repeated(), root: head.inventory.root } : undefined;
      },
    });
  }
  return { units, said };
}

/** --shard K/N of one file: its unit (none when no record begins in it), and how it is read. */
export async function shardUnits(input: Input, spec: ChainSpec, shard: number, shards: number, jobs: number, execute: Execute): Promise<{ units: Unit[]; said: string[] }> {
  if (input.file === undefined) throw new TypeError(`--shard reads a file at any byte: ${input.name} is not a regular file`);
  const plan = await planShard(input.file, spec, shard, shards, jobs, execute);
  if (plan === undefined) return { units: [], said: [`${input.name}: shard ${shard}/${shards}: no record begins in it`] };
  if (!('ends' in plan)) throw new TypeError(`--shard cannot cut it: ${plan.oneCore}`); // reported after the file's name
  return { units: [{ kind: 'ranges', file: input.file, plan }], said: [`${input.name}: shard ${shard}/${shards}, from byte ${plan.start.at}: ${plan.ends.length} ranges on ${jobs} workers`] };
}

/**
 * records() with `jobs`: a file's records read on worker threads, in document order, as the same
 * values (each record crosses as its JSON text); undefined when the file cannot be cut. `where` and
 * `coerce` run here, on each record, as the chain would run them after the builder.
 */
export function recordsOnWorkers(file: string, options: RecordsOptions<Json>, jobs: number): AsyncGenerator<Json> | undefined {
  const { where: test, coerce, element, file: name, limits, maxRecord, parser: _parser, jobs: _jobs, limit: wanted, shape, ...build } = options;
  const spec: ChainSpec = { ...build, shape: shape === undefined ? undefined : parseShape(shape), element: [element].flat(), where: [], format: 'ndjson', limits: { ...limits, ...(maxRecord === undefined ? {} : { maxRecord }) } };
  const plan = planRanges(file, spec, jobs);
  if (!('ends' in plan)) return undefined;
  return readOnWorkers(file, plan, spec, jobs, test === undefined ? undefined : whereTest(test, build), coerce === true, name ?? file, wanted);
}

async function* readOnWorkers(file: string, plan: Plan, spec: ChainSpec, jobs: number, test: ((record: Json) => boolean) | undefined, coerce: boolean, name: string, wanted: number | undefined): AsyncGenerator<Json> {
  const kept: Json[] = [];
  let enough = false; // `limit` records kept: the workers are stopped
  let tail = gather(kept);
  if (coerce) tail = coerceValues(tail);
  if (wanted !== undefined) tail = limit(wanted, () => (enough = true), tail);
  if (test !== undefined) tail = where(test, tail);
  let text = '';
  let ready: Array<() => void> = []; // the reader waiting for records, or the workers for the reader
  const wake = (): void => {
    for (const resolve of ready.splice(0)) resolve();
  };
  const waiting = (): Promise<void> => new Promise((resolve) => ready.push(resolve));
  const lines: string[] = [];
  let done = false;
  let failure: unknown;
  const pool = workerPool(jobs);
  const out = {
    write: (more: string | Uint8Array) => void (text += typeof more === 'string' ? more : Buffer.from(more.buffer, more.byteOffset, more.byteLength).toString()),
    async drained(): Promise<void> {
      const cut = text.lastIndexOf('\n') + 1;
      if (cut === 0) return;
      lines.push(...text.slice(0, cut - 1).split('\n'));
      text = text.slice(cut);
      wake();
      while (lines.length > 0 && !done) await waiting(); // the records are taken before more are read
    },
  };
  const running = convertUnits([{ kind: 'ranges', file, plan }], spec, pool.execute, out, jobs).then(
    () => undefined,
    (error: unknown) => void (failure = error instanceof XmlSyntaxError ? error.inFile(name) : error),
  ).finally(() => {
    done = true;
    wake();
  });
  try {
    for (;;) {
      while (lines.length > 0 && !enough) {
        send(tail, JSON.parse(lines.shift()!) as Json);
        yield* kept.splice(0);
      }
      if (enough) return close(tail); // (finally stops the workers)
      wake();
      if (done) break;
      await waiting();
    }
    await running;
    if (failure !== undefined) throw failure;
    close(tail);
  } finally {
    done = true;
    wake();
    await pool.close();
  }
}
