// -j N and --shard K/N for the command line and records(): each input becomes a unit of work — a file
// cut into ranges, a whole file on a worker, or a stream read here — and why, for --verbose.

import { availableParallelism } from 'node:os';
import { type Chunk, type ParseOptions, parse } from '../driver.js';
import { decompressed } from '../io/source.js';
import { pipelineOfInputs } from '../chain.js';
import { type ChainSpec, optionsOf } from './range.js';
import { type Execute, type Unit, planRanges, planShard, wholeFile } from './run.js';

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
 * here-read ones are parsed; `onRecord` counts their records (the progress bar).
 */
export function unitsOf(inputs: readonly Input[], spec: ChainSpec, jobs: number, options: Omit<ParseOptions, 'file'>, onRecord?: () => void): { units: Unit[]; said: string[] } {
  const units: Unit[] = [];
  const said: string[] = [];
  for (const input of inputs) {
    if (input.file !== undefined) {
      const plan = spec.element.length === 0 ? wholeFile(input.file) : planRanges(input.file, spec, jobs);
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
      read: async ({ write, started, drained }) => {
        const chain = pipelineOfInputs(optionsOf(spec, onRecord), write);
        const head = chain.next();
        started();
        try {
          await parse(decompressed(input.open()), head.events, { ...options, file: input.name, drained });
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
  if (!('ends' in plan)) throw new TypeError(`--shard cannot cut ${input.name}: ${plan.oneCore}`);
  return { units: [{ kind: 'ranges', file: input.file, plan }], said: [`${input.name}: shard ${shard}/${shards}, from byte ${plan.start.at}: ${plan.ends.length} ranges on ${jobs} workers`] };
}
