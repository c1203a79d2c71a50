// Command-line flags from one table: parsing (node:util's parseArgs, which loads in no time where
// yargs took 0.1 s of every run) and the --help text. A flag that takes one value refuses a second;
// every refusal is a FlagError, which the command reports as bad usage.

import { parseArgs } from 'node:util';

export class FlagError extends Error {
  override name = 'FlagError';
}

export interface Flag {
  name: string;
  short?: string;
  /** `number` values are checked by the command; parsing keeps them as text */
  type: 'string' | 'number' | 'boolean';
  /** what the value is called in --help: NAME, N, FILE */
  value?: string;
  /** may be given several times: every value is kept */
  repeat?: boolean;
  choices?: readonly string[];
  /** the default, as --help shows it (none for --help itself) */
  shown?: string;
  group: string;
  describe: string;
}

export interface Parsed {
  /** each flag given: its values, in order (booleans: 'true' or 'false' for --no-NAME) */
  values: Map<string, string[]>;
  positionals: string[];
}

/** Reads `argv` by `flags`; `negatable` booleans also take --no-NAME. Throws FlagError saying what is wrong. */
export function parseFlags(argv: readonly string[], flags: readonly Flag[], negatable: readonly string[] = []): Parsed {
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  const options = Object.fromEntries(flags.map((flag) => [flag.name, { type: flag.type === 'boolean' ? 'boolean' : 'string', ...(flag.short === undefined ? {} : { short: flag.short }), multiple: true }] as const));
  for (const name of negatable) options[`no-${name}`] = { type: 'boolean', multiple: true };
  const { tokens, positionals } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const negated = token.name.startsWith('no-') && negatable.includes(token.name.slice(3)) ? token.name.slice(3) : undefined;
    const flag = byName.get(negated ?? token.name);
    if (flag === undefined) throw new FlagError(`unknown option ${token.rawName}${likely(token, [...byName.keys(), ...negatable.map((name) => `no-${name}`)])}`);
    const label = `--${flag.name}`;
    let value: string;
    if (flag.type === 'boolean') {
      if (token.inlineValue === true) throw new FlagError(`${label} takes no value (${label}=${token.value} was given)`);
      value = negated === undefined ? 'true' : 'false';
    } else {
      if (token.value === undefined) throw new FlagError(`${label} needs a value${flag.value === undefined ? '' : ` (${label} ${flag.value})`}`);
      // "-e -w x" would take -w for the element: a value that looks like a flag (not a number) is given as --element=-w
      if (token.inlineValue !== true && token.value.startsWith('-') && token.value !== '-' && !/^-\d/u.test(token.value)) throw new FlagError(`${label} needs a value, and "${token.value}" is a flag (a value that starts with "-": ${label}=${token.value})`);
      value = token.value;
    }
    if (flag.choices !== undefined && !flag.choices.includes(value)) throw new FlagError(`${label} "${value}": expected ${flag.choices.map((choice) => `"${choice}"`).join(', ')}`);
    const seen = values.get(flag.name) ?? [];
    if (seen.length > 0 && flag.repeat !== true) throw new FlagError(`${label} given twice (${[...seen, value].join(', ')}); it takes one value`);
    values.set(flag.name, [...seen, value]);
  }
  return { values, positionals };
}

/** ` (did you mean --fields?)` for a long option one or two edits from a flag's name (`--feilds`), else nothing. */
function likely(token: { name: string; rawName: string }, names: readonly string[]): string {
  if (!token.rawName.startsWith('--')) return '';
  const close = names.map((name) => ({ name, edits: edits(token.name, name) })).filter(({ name, edits }) => edits <= Math.min(2, name.length >> 2));
  const best = close.sort((a, b) => a.edits - b.edits)[0];
  return best === undefined ? '' : ` (did you mean --${best.name}?)`;
}

/** Edits between two words: a character inserted, dropped, changed, or two side by side swapped. */
function edits(a: string, b: string): number {
  // d[i][j]: the edits from a's first i characters to b's first j
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const changed = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + changed);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The options part of --help: a heading per group, in order of first appearance; each flag's type and default. */
export function flagHelp(flags: readonly Flag[], width: number): string {
  const left = (flag: Flag): string => `  ${flag.short === undefined ? '    ' : `-${flag.short}, `}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
  const column = Math.max(...flags.map((flag) => left(flag).length)) + 2;
  const groups = [...new Set(flags.map((flag) => flag.group))];
  return groups.map((group) => [group, ...flags.filter((flag) => flag.group === group).map((flag) => {
    const kind = flag.choices === undefined ? `[${flag.type}]` : `[choices: ${flag.choices.join(', ')}]`;
    const tags = [kind, flag.repeat === true ? '[repeatable]' : '', flag.shown === undefined ? '' : `[default: ${flag.shown}]`].filter(Boolean).map((tag) => tag.replaceAll(' ', NBSP)).join(' ');
    const lines = wrap(`${flag.describe} ${tags}`, width - column); // a tag is not cut across lines
    return lines.map((line, i) => (i === 0 ? left(flag).padEnd(column) : ' '.repeat(column)) + line.replaceAll(NBSP, ' ')).join('\n');
  })].join('\n')).join('\n\n');
}

const NBSP = '\u00a0';

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line.trimEnd());
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
