// The xml2json command: argv → settings (in one place) → inputs ▶ parse ▶ pipeline ▶ sink.
// Exit status: 0 success, 1 bad input (XML or I/O), 2 bad usage. Every error is one line on stderr,
// `xml2json: FILE:LINE:COL: what went wrong`; --debug adds the stack.

import { type Stats, createReadStream, fstat, readFileSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import yargs from 'yargs';
import { XmlSyntaxError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { noProgress, progressBar, type Progress, wantsProgress } from './io/progress.js';
import { type Sink, fileSink, streamSink } from './io/sink.js';
import { gunzipped } from './io/source.js';
import type { Chunk } from './parse/feed.js';
import { type ParseOptions, parse } from './parse/parse.js';
import { type Format, type PipelineOptions, pipelineOfInputs } from './pipeline.js';
import { recordSelector } from './stages/build.js';
import { fieldPath, parseWhere } from './where.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

type Parser = 'sax' | 'saxes';

/** Bad usage: exit 2, with a hint to --help. */
class UsageError extends Error {}

// Option groups of --help, in this order. A new flag names its group and is read in settingsOf().
const GROUP = { input: 'Input:', records: 'Records:', output: 'Output:', conversion: 'Conversion:', other: 'Other:' } as const;

// Real examples, the course's job first; README's "Command line" shows each with its output.
const EXAMPLES: Array<[string, string]> = [
  ["The course's job: route 22's northbound buses as CSV", 'xml2json allroutes.xml -e bus -w route=22 -w "direction=North Bound" -f csv --fields route,id,direction,latitude,longitude'],
  ['How many buses are on route 22', 'xml2json samples/buses.xml -e bus -w route=22 --count'],
  ['A record a line, cut down to three fields; a regular expression matches anywhere unless anchored', 'xml2json samples/buses.xml -e bus -w route=22 -w "finalStop~^Navy Pier" -f ndjson --fields id,direction,finalStop'],
  ['gzip on stdin is read as it is; all the conditions must hold', 'gzip -c samples/buses.xml | xml2json -e bus -w route!=22 -w revenue=true --count'],
  ['An attribute and a dotted path; -w FIELD alone keeps the records that have it', `echo '<stops><stop id="1"><name>Clark</name></stop><stop id="2"><name>State</name><next><name>Lake</name></next></stop></stops>' | xml2json -e stop -w next.name -f csv --fields @id,name,next.name`],
  ['The whole document as one JSON value, indented', `echo '<stop id="7"><name>Clark</name></stop>' | xml2json --pretty`],
  ['Two files into one CSV file, put in place only if both convert', 'xml2json a.xml b.xml -e bus -f csv -o buses.csv'],
  ['And back: json2xml writes the JSON as XML again (xmltodict.unparse)', `echo '<stop id="7"><name>Clark</name></stop>' | xml2json | json2xml`],
];

const EPILOG = `Examples:
${EXAMPLES.map(([what, example]) => `  # ${what}\n  ${example}`).join('\n')}

--where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX (anywhere in the text), or FIELD alone (exists).
FIELD is a child (route), an attribute (@id) or a dotted path (stop.name, stop.@id); an element with
attributes compares by its text; a repeated element holds if any one does.

Exit status: 0 success, 1 bad input (XML, gzip or I/O), 2 bad usage. Errors are one line:
"xml2json: FILE:LINE:COL: what went wrong". A JSON array cut short by bad input is still closed: the
output is valid JSON holding the records before the fault. With -o, a failed run writes nothing.`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

// Every flag is one .option() here, with its group and its default; settingsOf() reads it.
function command(argv: string[], width: number) {
  return yargs(argv)
    .scriptName('xml2json')
    .parserConfiguration({ 'camel-case-expansion': false }) // a mistyped --max-dept is named once, not also as maxDept
    .usage('Usage: $0 [FILE...] [options]\n\nConvert XML to JSON, NDJSON or CSV while streaming. FILE is a path, or - for stdin; with no\nFILE, stdin is read unless it is a terminal. Gzip is recognised by its first bytes, on stdin\ntoo. Several FILEs make one output.')
    .option('parser', { group: GROUP.input, coerce: (value: Parser | Parser[]) => lastString(value) as Parser, choices: ['sax', 'saxes'] as const, default: 'sax' as Parser, requiresArg: true, describe: 'Tokenizer backend: the same output; saxes is faster' })
    .option('max-depth', { coerce: lastNumber, group: GROUP.input, type: 'string', requiresArg: true, default: DEFAULT_LIMITS.maxDepth, describe: 'Deepest element nesting allowed' })
    .option('max-text', { coerce: lastNumber, group: GROUP.input, type: 'string', requiresArg: true, default: DEFAULT_LIMITS.maxText, defaultDescription: `${DEFAULT_LIMITS.maxText} (64 Mi)`, describe: 'Longest text allowed, in characters' })
    .option('max-record', { coerce: lastNumber, group: GROUP.input, type: 'string', requiresArg: true, default: DEFAULT_LIMITS.maxRecord, defaultDescription: `${DEFAULT_LIMITS.maxRecord} (128 Mi)`, describe: 'Largest record (or document, without -e) allowed, in characters' })
    .option('element', { coerce: lastString, group: GROUP.records, alias: 'e', type: 'string', requiresArg: true, defaultDescription: 'none: the whole document', describe: 'One record per outermost <NAME>, or per element at an absolute /path/to/NAME' })
    .option('where', { group: GROUP.records, alias: 'w', type: 'string', requiresArg: true, defaultDescription: 'every record', describe: 'Keep records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX or FIELD (exists); repeat: all must hold' })
    .option('count', { group: GROUP.records, type: 'boolean', default: false, describe: 'Print only the number of records kept' })
    .option('format', { coerce: (value: Format | Format[]) => lastString(value) as Format, group: GROUP.output, alias: 'f', choices: ['json', 'ndjson', 'csv'] as const, default: 'json' as Format, requiresArg: true, describe: 'json: the document (an array of them for several FILEs), or an array of records; ndjson: a record a line; csv: a row a record' })
    .option('fields', { group: GROUP.output, type: 'string', requiresArg: true, defaultDescription: "all; csv: the first record's", describe: 'Comma-separated fields (dotted paths too): the CSV columns, or what each JSON record keeps' })
    .option('pretty', { coerce: lastNumber, group: GROUP.output, type: 'string', defaultDescription: 'compact; N: 2', describe: 'Indent JSON by N spaces: --pretty [N]' })
    .option('output', { coerce: lastString, group: GROUP.output, alias: 'o', type: 'string', requiresArg: true, defaultDescription: 'stdout', describe: 'Write to FILE (- for stdout), put in place only when the run succeeds' })
    .option('array', { group: GROUP.conversion, type: 'string', array: true, nargs: 1, defaultDescription: 'none', describe: 'Elements named NAME are always arrays, even when there is one (repeatable)' })
    .option('strip-ns', { group: GROUP.conversion, type: 'boolean', default: false, describe: 'Drop namespace prefixes (soap:Body → Body) and xmlns attributes' })
    .option('attr-prefix', { group: GROUP.conversion, coerce: lastString, type: 'string', requiresArg: true, default: '@', describe: 'Prefix of attribute keys' })
    .option('text-key', { group: GROUP.conversion, coerce: lastString, type: 'string', requiresArg: true, default: '#text', describe: 'Key of text beside attributes or child elements' })
    .option('coerce', { group: GROUP.conversion, type: 'boolean', default: false, describe: 'Numbers and true/false as JSON numbers and booleans ("007" and integers beyond 2^53 stay strings); after --where' })
    .option('progress', { group: GROUP.other, type: 'boolean', defaultDescription: 'on a terminal, for files', describe: 'A progress bar on stderr (--no-progress: none); never when stderr is not a terminal' })
    .option('debug', { group: GROUP.other, type: 'boolean', default: false, describe: 'On error, also print the stack trace' })
    .group(['help', 'version'], GROUP.other)
    .strictOptions()
    .help()
    .alias('help', 'h')
    .version(version())
    .wrap(width)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

// A flag given twice counts once, the last time, as jq's do.
const lastString = (value: string | string[]): string => (Array.isArray(value) ? value.at(-1)! : value);
// Numbers are read as strings: yargs adds up a number flag given twice (--pretty=3 --pretty=1 is 4).
const lastNumber = (value: string | string[]): number => Number(lastString(value));

/** `--pretty` takes an optional N: make `--pretty` alone mean `--pretty=2`, so it never eats a FILE. */
function withPrettyArgument(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg !== '--pretty') out.push(arg);
    else if (/^\d+$/u.test(argv[i + 1] ?? '')) out.push(`--pretty=${argv[++i]}`);
    else out.push('--pretty=2');
  }
  return out;
}

/** Everything a run needs. */
interface Settings {
  files: string[];
  output: string | undefined;
  progress: boolean | undefined;
  debug: boolean;
  /** how each input is parsed: the tokenizer's options (the builder's are in pipeline) */
  parse: Omit<ParseOptions, 'file' | 'drained'>;
  pipeline: PipelineOptions;
}

type Args = Awaited<ReturnType<ReturnType<typeof command>['parseAsync']>>;

/** Runs a check whose error is then a usage error, after `prefix` (what was being read). */
function asUsage<T>(check: () => T, prefix = ''): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(prefix + (error as Error).message);
  }
}

/** Reads the parsed arguments; throws UsageError saying what is wrong. */
function settingsOf(args: Args): Settings {
  const files = args._.map(String);
  if (files.filter((file) => file === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');
  const whereList = [args.where ?? []].flat().map(String);
  const fieldsList = [args.fields ?? []].flat().map(String);
  const fields = fieldsList.length === 0 ? undefined : fieldsList.join(',').split(',').map((field) => field.trim());
  for (const field of fields ?? []) asUsage(() => fieldPath(field), `--fields "${fieldsList.join(',')}": `);
  const pretty = args.pretty;
  if (pretty !== undefined && !(Number.isInteger(pretty) && pretty >= 0 && pretty <= 10)) throw new UsageError('--pretty N: N is a number of spaces from 0 to 10');
  if (args.element !== undefined) asUsage(() => recordSelector(args.element!));
  for (const flag of ['max-depth', 'max-text', 'max-record'] as const) {
    const value = args[flag];
    if (!(Number.isSafeInteger(value) && value > 0)) throw new UsageError(`--${flag}: expected a positive whole number`);
  }
  const where = whereList.map((expression) => asUsage(() => parseWhere(expression, args['text-key'])));
  return {
    files: files.length === 0 ? ['-'] : files,
    output: args.output,
    progress: args.progress,
    debug: args.debug,
    parse: { parser: args.parser, limits: { maxDepth: args['max-depth'], maxText: args['max-text'] } },
    pipeline: {
      element: args.element,
      where,
      format: args.format,
      fields,
      indent: pretty === 0 ? undefined : pretty,
      count: args.count,
      array: files.length > 1,
      maxRecord: args['max-record'],
      forceList: args.array,
      stripNamespaces: args['strip-ns'],
      attrPrefix: args['attr-prefix'],
      textKey: args['text-key'],
      coerce: args.coerce,
    },
  };
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[], io: Io = process): Promise<number> {
  let helpText = '';
  let settings: Settings;
  try {
    const width = Math.min(100, (io.stdout as { columns?: number }).columns ?? 100);
    const normalised = withPrettyArgument(argv);
    const args = await command(normalised, width).parseAsync(normalised, {}, (_error, _argv, text) => {
      helpText = text;
    });
    if (helpText !== '') {
      // --help, with the examples after it as written (yargs would wrap their long lines), or --version
      io.stdout.write(helpText.startsWith('Usage:') ? `${helpText}\n\n${EPILOG}\n` : `${helpText}\n`);
      return 0;
    }
    settings = settingsOf(args);
    // A bare `xml2json` at a prompt says what it wants rather than seem to hang waiting for typed XML.
    if (args._.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY === true) throw new UsageError('no FILE, and stdin is a terminal (give - to type the XML)');
  } catch (error) {
    io.stderr.write(`xml2json: ${oneLine(error)}\nTry 'xml2json --help'.\n`);
    return 2;
  }
  return convert(settings, io);
}

interface Input {
  name: string;
  open(): AsyncIterable<Chunk>;
}

async function convert(settings: Settings, io: Io): Promise<number> {
  const report = (error: unknown, file: string): number => {
    io.stderr.write(`xml2json: ${describe(error, file)}\n`);
    if (settings.debug && error instanceof Error && error.stack !== undefined) io.stderr.write(error.stack + '\n');
    return 1;
  };

  // Every input is looked at before anything is written: a missing file is reported with no output.
  const inputs: Input[] = [];
  let total: number | undefined = 0;
  for (const file of settings.files) {
    try {
      const size = file === '-' ? await stdinSize(io.stdin) : await fileSize(file);
      total = size === undefined || total === undefined ? undefined : total + size;
    } catch (error) {
      return report(error, file);
    }
    inputs.push(file === '-'
      ? { name: '<stdin>', open: () => io.stdin }
      : { name: file, open: () => createReadStream(file, { highWaterMark: 64 * 1024 }) });
  }

  const toStdout = settings.output === undefined || settings.output === '-' || settings.output === '/dev/stdout';
  let sink: Sink;
  try {
    sink = toStdout ? streamSink(io.stdout) : settings.output === '/dev/stderr' ? streamSink(io.stderr) : await fileSink(settings.output!);
  } catch (error) {
    return report(error, settings.output!);
  }

  const isTTY = (stream: Writable): boolean => (stream as { isTTY?: boolean }).isTTY === true;
  const progress: Progress = wantsProgress({ flag: settings.progress, stderrIsTTY: isTTY(io.stderr), stdoutIsTTY: toStdout && isTTY(io.stdout), total })
    ? progressBar(io.stderr, total)
    : noProgress;
  const chain = pipelineOfInputs({ ...settings.pipeline, onRecord: progress === noProgress ? undefined : progress.record }, sink.write);

  const output = toStdout ? '<stdout>' : settings.output!;
  let current = '';
  try {
    for (const input of inputs) {
      current = input.name;
      await parse(gunzipped(counted(input.open(), progress)), chain.next(), { ...settings.parse, file: input.name, drained: sink.drained });
    }
    current = output;
    chain.close();
    progress.stop();
    await sink.finish();
    return 0;
  } catch (error) {
    progress.stop();
    if (isClosedPipe(error)) return 0; // `| head` has what it wanted
    try {
      chain.close(); // the JSON array gets its `]`: valid JSON with the records before the fault
    } finally {
      await sink.abort();
    }
    return report(error, (error as NodeJS.ErrnoException).syscall === 'write' ? output : current);
  }
}

/** Passes chunks on, telling the progress bar how many bytes came (before gunzip: the file's bytes). */
async function* counted(chunks: AsyncIterable<Chunk>, progress: Progress): AsyncGenerator<Chunk> {
  for await (const chunk of chunks) {
    progress.read(chunk.length);
    yield chunk;
  }
}

/** The size of a FILE that can be read; unknown for a pipe (`<(zcat …)`) or a device. */
async function fileSize(file: string): Promise<number | undefined> {
  const found = await stat(file);
  if (found.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  await access(file, constants.R_OK);
  return found.isFile() ? found.size : undefined;
}

/** The size of stdin when it is a file (`< big.xml`); unknown for a pipe or a terminal. */
async function stdinSize(stdin: Readable): Promise<number | undefined> {
  const fd = (stdin as { fd?: number }).fd;
  if (fd === undefined) return undefined;
  const found = await new Promise<Stats | undefined>((resolve) => fstat(fd, (error, stats) => resolve(error === null ? stats : undefined)));
  return found?.isFile() === true ? found.size : undefined;
}

function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

function oneLine(error: unknown): string {
  // yargs writes some messages over two lines ("Invalid values:\n  Argument: …"): keep them, on one.
  return (error instanceof Error ? error.message : String(error)).trim().replaceAll(/\s*\n\s*/gu, ' ');
}

const IO_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  Z_DATA_ERROR: 'not valid gzip data',
  Z_BUF_ERROR: 'gzip data cut short',
};

function describe(error: unknown, file: string): string {
  if (error instanceof XmlSyntaxError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code !== undefined && Object.hasOwn(IO_REASONS, code)) ? IO_REASONS[code] : oneLine(error);
  return `${file}: ${reason}`;
}
