// The xml2json command: argv → settings (in one place) → inputs ▶ parse ▶ chain ▶ sink.
// Exit status: 0 success, 1 bad input (XML or I/O), 2 bad usage. Every error is one line on stderr,
// `xml2json: FILE:LINE:COL: what went wrong`; --debug adds the stack.
// What only a conversion needs is imported when one runs: --version and --help load almost nothing.

import { type Stats, closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Format, PipelineOptions } from './chain.js';
import type { Absent } from './parallel/run.js';
import type { ChainSpec } from './parallel/range.js';
import { XmlSyntaxError } from './errors.js';
import { CsvColumnsError } from './stages/emit-csv.js';
import { type Flag, flagHelp, parseFlags } from './flags.js';
import type { Progress } from './io/progress.js';
import type { Sink } from './io/sink.js';
import type { SkippedRecord } from './skip.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { Chunk, ParseOptions } from './driver.js';
import { allOf, fieldPath, parseWhere, recordSelector } from './query.js';
import { parseShape } from './shape.js';
import { isEncoding } from './xml/decode.js';
import { GROUP, type Io, UsageError, asUsage, settingsOrExit, ioReason, ioWords, isClosedPipe, isTTY, readableStats, refusedOutput, sayKept, stdinStats } from './cli/common.js';

export type { Io };

// A new flag names its group (GROUP: --help's, in order) and is read in settingsOf().
const mebi = (n: number): string => `${n} (${n / 1024 / 1024} Mi)`;

// Every flag is one line here, with its group and its default; settingsOf() reads it.
const FLAGS: readonly Flag[] = [
  { name: 'parser', group: GROUP.input, type: 'string', value: 'NAME', choices: ['cosax', 'sax'], shown: 'cosax', describe: "Tokenizer: cosax (our own, strict and fast) or sax (the npm package, the course's xml.sax; checks less)" },
  { name: 'encoding', group: GROUP.input, type: 'string', value: 'NAME', shown: 'the BOM, else the XML declaration, else UTF-8', describe: 'Read the bytes as NAME (UTF-8, ISO-8859-1, windows-1252, cp437, …), whatever the BOM and the declaration say: for a file that lies about its encoding' },
  { name: 'max-depth', group: GROUP.input, type: 'number', value: 'N', shown: String(DEFAULT_LIMITS.maxDepth), describe: 'Deepest element nesting allowed' },
  { name: 'max-text', group: GROUP.input, type: 'number', value: 'N', shown: mebi(DEFAULT_LIMITS.maxText), describe: 'Longest text allowed, in characters' },
  { name: 'max-record', group: GROUP.input, type: 'number', value: 'N', shown: mebi(DEFAULT_LIMITS.maxRecord), describe: 'Largest record (or document, without -e) allowed, in characters' },
  { name: 'paths', group: GROUP.records, type: 'boolean', shown: 'false', describe: 'Instead of converting, list the elements by path: how many, how many in one parent, in how many parents, with text, with children, their attributes, a sample; to choose -e and --array (-f json: for --shape)' },
  { name: 'element', short: 'e', group: GROUP.records, type: 'string', value: 'NAME', repeat: true, shown: 'none: the whole document', describe: 'One record per outermost <NAME>, or per element at an absolute /path/to/NAME; several: the records of each, in document order' },
  { name: 'tag', group: GROUP.records, type: 'boolean', shown: 'false', describe: 'Each record as {"NAME": …}, as the element alone converts: which -e it is' },
  { name: 'where', short: 'w', group: GROUP.records, type: 'string', value: 'EXPR', repeat: true, shown: 'every record', describe: 'Keep records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX or FIELD (exists); all must hold' },
  { name: 'limit', group: GROUP.records, type: 'number', value: 'N', shown: 'every record', describe: 'Stop after N records kept (after --where): the rest of the input is not read' },
  { name: 'on-error', group: GROUP.records, type: 'string', value: 'WHAT', choices: ['fail', 'skip'], shown: 'fail', describe: 'skip: a record that is not well-formed is dropped, said on stderr, and reading goes on at the next record (exit 1 at the end); a fault outside any record still ends the run' },
  { name: 'errors', group: GROUP.records, type: 'string', value: 'FILE', shown: 'none', describe: 'With --on-error skip: each skipped record as a JSON line in FILE, with its byte offset and its text' },
  { name: 'count', group: GROUP.records, type: 'boolean', shown: 'false', describe: 'Print only the number of records kept' },
  { name: 'format', short: 'f', group: GROUP.output, type: 'string', value: 'FORMAT', choices: ['json', 'ndjson', 'csv'], shown: 'json', describe: 'json: the document (an array of them for several FILEs), or an array of records; ndjson: a record a line; csv: a row a record' },
  { name: 'fields', group: GROUP.output, type: 'string', value: 'A,B', repeat: true, shown: "all; csv: the first record's", describe: 'Comma-separated fields (dotted paths too): the CSV columns, or what each JSON record keeps' },
  { name: 'pretty', group: GROUP.output, type: 'number', value: '[N]', shown: 'compact; N: 2', describe: 'Indent JSON by N spaces' },
  { name: 'with-file', group: GROUP.output, type: 'boolean', shown: 'false', describe: 'Each record as {"file": FILE, "record": …} (csv: a first column #file), which no element name can collide with' },
  { name: 'output', short: 'o', group: GROUP.output, type: 'string', value: 'FILE', shown: 'stdout', describe: 'Write to FILE (- for stdout), put in place only when the run succeeds (else kept as FILE.partial)' },
  { name: 'array', group: GROUP.conversion, type: 'string', value: 'NAME', repeat: true, shown: 'none', describe: 'Elements named NAME are always arrays, even when there is one' },
  { name: 'strip-ns', group: GROUP.conversion, type: 'boolean', shown: 'false', describe: 'Drop namespace prefixes (soap:Body → Body) and xmlns attributes' },
  { name: 'attr-prefix', group: GROUP.conversion, type: 'string', value: 'P', shown: '"@"', describe: 'Prefix of attribute keys' },
  { name: 'text-key', group: GROUP.conversion, type: 'string', value: 'K', shown: '"#text"', describe: 'Key of text beside attributes or child elements' },
  { name: 'shape', group: GROUP.conversion, type: 'string', value: 'FILE', shown: 'none', describe: "One shape for every record, as a warehouse's schema needs: an element that ever repeats is always an array, one that ever has attributes or children always an object; FILE is --paths -f json's output, or lines of /path (or NAME) array|object" },
  { name: 'keep-space', group: GROUP.conversion, type: 'boolean', shown: 'false', describe: "Text as written, not stripped; white space between elements is #text (xmltodict's strip_whitespace=False)" },
  { name: 'coerce', group: GROUP.conversion, type: 'boolean', shown: 'false', describe: 'Numbers and true/false as JSON numbers and booleans ("007" and integers beyond 2^53 stay strings); after --where' },
  { name: 'keep-going', group: GROUP.input, type: 'boolean', shown: 'false', describe: 'With several FILEs, a FILE that fails (its fault one line on stderr) does not stop the others; the output is written, and the exit status is 1 at the end' },
  { name: 'jobs', short: 'j', group: GROUP.input, type: 'number', value: 'N', shown: '1; 0: every core', describe: 'Worker threads: a big FILE is cut into byte ranges read side by side, several FILEs are read side by side; the output is the same, in the same order' },
  { name: 'shard', group: GROUP.input, type: 'string', value: 'K/N', shown: 'the whole FILE', describe: "Only the records that begin in the K-th of N byte ranges of FILE: the N outputs (-f ndjson or csv) concatenated are the whole FILE's" },
  { name: 'progress', group: GROUP.other, type: 'boolean', shown: 'on a terminal, for files', describe: 'A progress bar on stderr (--no-progress: none); never when stderr is not a terminal' },
  { name: 'verbose', group: GROUP.other, type: 'boolean', shown: 'false', describe: 'With -j or --shard, say on stderr how each FILE is read: in how many ranges, or why on one core' },
  { name: 'debug', group: GROUP.other, type: 'boolean', shown: 'false', describe: 'On error, also print the stack trace' },
  { name: 'help', short: 'h', group: GROUP.other, type: 'boolean', describe: 'Show this help' },
  { name: 'version', group: GROUP.other, type: 'boolean', describe: 'Show the version number' },
];

const USAGE = `Usage: xml2json [FILE...] [options]

Convert XML to JSON, NDJSON or CSV while streaming. FILE is a path, or - for stdin; with no
FILE, stdin is read unless it is a terminal. gzip, bzip2, xz and zstd are recognised by their
first bytes, on stdin too. Several FILEs make one output.`;

// Real examples, the course's job first; README's "Command line" shows each with its output.
const EXAMPLES: Array<[string, string]> = [
  ["The course's job: route 22's northbound buses as CSV", 'xml2json allroutes.xml -e bus -w route=22 -w "direction=North Bound" -f csv --fields route,id,direction,latitude,longitude'],
  ['An unknown document: its elements by path, to choose -e and --array', 'xml2json --paths samples/buses.xml'],
  ['How many buses are on route 22', 'xml2json samples/buses.xml -e bus -w route=22 --count'],
  ["A look at a big dump: its first two records, and nothing more is read", 'xml2json samples/buses.xml -e bus --limit 2 -f ndjson --fields id,route'],
  ['A record a line, cut down to three fields; a regular expression matches anywhere unless anchored', 'xml2json samples/buses.xml -e bus -w route=22 -w "finalStop~^Navy Pier" -f ndjson --fields id,direction,finalStop'],
  ['gzip on stdin is read as it is; all the conditions must hold', 'gzip -c samples/buses.xml | xml2json -e bus -w route!=22 -w revenue=true --count'],
  ['An attribute and a dotted path; -w FIELD alone keeps the records that have it', `echo '<stops><stop id="1"><name>Clark</name></stop><stop id="2"><name>State</name><next><name>Lake</name></next></stop></stops>' | xml2json -e stop -w next.name -f csv --fields @id,name,next.name`],
  ['The whole document as one JSON value, indented', `echo '<stop id="7"><name>Clark</name></stop>' | xml2json --pretty`],
  ['Two files into one CSV file, put in place only if both convert', 'xml2json a.xml b.xml -e bus -f csv -o buses.csv'],
  ['Many files: one that fails is said and the others converted (then exit 1); each record with its file', 'xml2json a.xml b.xml -e bus -f ndjson --keep-going --with-file -o buses.ndjson'],
  ['One shape for every record (for a warehouse): what --paths saw, then the records made to it', 'xml2json --paths -f json samples/buses.xml -o buses.shape.json && xml2json samples/buses.xml -e bus --shape buses.shape.json --limit 1 -f ndjson'],
  ['A dirty feed: records that are not well-formed dropped, each said on stderr and kept in skipped.ndjson', 'xml2json samples/buses.xml -e bus --on-error skip --errors skipped.ndjson -f ndjson -o buses.ndjson'],
  ['A file that says UTF-8 but is written in ISO-8859-1', `printf '<?xml version="1.0" encoding="UTF-8"?><a>caf\\xe9</a>' | xml2json --encoding ISO-8859-1`],
  ["Text exactly as written (a wiki page's source), as xmltodict's strip_whitespace=False", `echo '<text xml:space="preserve">  indented</text>' | xml2json --keep-space`],
  ['And back: json2xml writes the JSON as XML again (xmltodict.unparse)', `echo '<stop id="7"><name>Clark</name></stop>' | xml2json | json2xml`],
];

const EPILOG = `Examples:
${EXAMPLES.map(([what, example]) => `  # ${what}\n  ${example}`).join('\n')}

--where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX (anywhere in the text), or FIELD alone (exists).
FIELD is a child (route), an attribute (@id), the text (#text) or a dotted path (stop.name,
stop.@id); an element with attributes compares by its text; a repeated element holds if any one does.

Exit status: 0 success, 1 bad input (XML, compressed data or I/O; a record skipped), 2 bad usage. Errors are one line:
"xml2json: FILE:LINE:COL: what went wrong". A JSON array cut short by bad input is still closed: the
output is valid JSON holding the records before the fault. With -o FILE, a failed run leaves FILE as it
was and keeps its output as FILE.partial.`;

function help(width: number): string {
  return `${USAGE}\n\n${flagHelp(FLAGS, width)}\n\n${EPILOG}\n`;
}

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
  /** --on-error skip: the file --errors writes skipped records to, or '' for none */
  skip: string | undefined;
  /** --paths: the element inventory instead of a conversion, as a table or (-f json) as JSON */
  paths: 'table' | 'json' | undefined;
  /** --keep-going: a FILE that fails is reported, and the others are converted */
  keepGoing: boolean;
  /** worker threads (0: every core), and the one range of the file to read */
  jobs: number;
  shard: { k: number; n: number } | undefined;
  verbose: boolean;
  /** the --where expressions as written, for the workers */
  where: string[];
}

/** The flags, read and checked; throws UsageError saying what is wrong. */
function settingsOf({ values, positionals: files }: ReturnType<typeof parseFlags>): Settings {
  const all = (name: string): string[] => values.get(name) ?? [];
  const one = (name: string): string | undefined => all(name)[0];
  const flag = (name: string): boolean => one(name) === 'true';
  const number = (name: string, fallback: number, what: string, ok: (n: number) => boolean): number => {
    const text = one(name);
    if (text === undefined) return fallback;
    const n = /^\d+$/u.test(text) ? Number(text) : Number.NaN;
    if (!ok(n)) throw new UsageError(`--${name} "${text}": expected ${what}`);
    return n;
  };
  const whole = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

  if (files.filter((file) => file === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');
  if (flag('paths')) {
    const extra = ['element', 'tag', 'where', 'count', 'limit', 'fields', 'on-error', 'errors', 'shape', 'shard', 'with-file', 'array', 'coerce', 'attr-prefix', 'text-key'].find((name) => values.has(name));
    if (extra !== undefined) throw new UsageError(`--paths lists the elements of the whole input, which --${extra} does not change: leave one out`);
    if (values.has('format') && one('format') !== 'json') throw new UsageError('--paths writes a table, or with -f json one JSON document');
    if (values.has('pretty') && !values.has('format')) throw new UsageError('--paths writes a table; --pretty indents its -f json form');
  }
  const keys = { attrPrefix: one('attr-prefix') ?? '@', textKey: one('text-key') ?? '#text' };
  const fieldsList = all('fields');
  const fields = fieldsList.length === 0 ? undefined : fieldsList.join(',').split(',').map((field) => field.trim());
  for (const field of fields ?? []) asUsage(() => fieldPath(field, keys), `--fields "${fieldsList.join(',')}": `);
  const twice = fields?.find((field, i) => fields.indexOf(field) !== i);
  if (twice !== undefined) throw new UsageError(`--fields "${fieldsList.join(',')}": "${twice}" is given twice (a CSV column or a JSON key once each)`);
  const pretty = number('pretty', 0, 'a number of spaces from 0 to 10', (n) => Number.isInteger(n) && n <= 10);
  const elements = all('element');
  for (const element of elements) asUsage(() => recordSelector(element), '--element ');
  if (flag('tag') && elements.length === 0) throw new UsageError('--tag names each record by its element: it needs -e (a whole document is always {"ROOT": …})');
  const where = all('where').map((expression) => asUsage(() => parseWhere(expression, keys), '--where '));
  const format = (one('format') ?? 'json') as Format;
  // Combinations that cannot mean anything are refused, rather than give an output that is not what was asked.
  if (values.has('pretty') && format !== 'json') throw new UsageError(`--pretty indents JSON, and -f ${format} ${format === 'csv' ? 'is not JSON' : 'is a record a line'}: use -f json --pretty`);
  if (format === 'csv' && elements.length === 0) throw new UsageError('-f csv writes a row a record: it needs -e NAME (which elements are the records)');
  if (flag('count')) {
    const extra = ['format', 'fields', 'pretty', 'tag', 'shape', 'with-file'].find((name) => values.has(name));
    if (extra !== undefined) throw new UsageError(`--count prints only the number of records, which --${extra} does not change: leave one out`);
  }
  // --with-file's CSV column is "#file": a key as an attribute's or the text's would be the same
  const { attrPrefix, textKey } = keys;
  if (flag('with-file') && format === 'csv' && (textKey === '#file' || (attrPrefix !== '' && attrPrefix.length < 5 && '#file'.startsWith(attrPrefix)))) throw new UsageError(`--with-file writes the file in a CSV column "#file", which ${textKey === '#file' ? '--text-key' : '--attr-prefix'} "${textKey === '#file' ? textKey : attrPrefix}" could name too: choose another`);
  const encoding = one('encoding');
  if (encoding !== undefined && !isEncoding(encoding)) throw new UsageError(`--encoding "${encoding}": not an encoding xml2json reads; README "Encodings" lists them (UTF-8, UTF-16LE, ISO-8859-1, windows-1252, …)`);
  const skip = one('on-error') === 'skip';
  if (skip && elements.length === 0) throw new UsageError('--on-error skip drops a record with a fault in it: it needs -e NAME (which elements are the records)');
  if (skip && one('parser') === 'sax') throw new UsageError('--on-error skip needs the cosax parser, which can read on after a fault (sax cannot)');
  if (values.has('errors') && !skip) throw new UsageError('--errors FILE writes the records --on-error skip drops: give --on-error skip too');
  const shapeFile = one('shape');
  const shape = shapeFile === undefined ? undefined : asUsage(() => parseShape(readShape(shapeFile)), `--shape ${shapeFile}: `);
  const positive = 'a positive whole number';
  const jobs = number('jobs', 1, 'a number of worker threads (0: every core)', (n) => Number.isSafeInteger(n) && n >= 0);
  const shardText = one('shard');
  let shard: Settings['shard'];
  if (shardText !== undefined) {
    const m = /^(\d+)\/(\d+)$/u.exec(shardText);
    const [k, n] = m === null ? [0, 0] : [Number(m[1]), Number(m[2])];
    if (!(k >= 1 && k <= n)) throw new UsageError(`--shard "${shardText}": expected K/N, the K-th of N parts, 1 ≤ K ≤ N (--shard 2/8)`);
    if (elements.length === 0) throw new UsageError('--shard K/N reads the records of a part of FILE: it needs -e NAME');
    if (files.length !== 1 || files[0] === '-') throw new UsageError('--shard K/N reads a part of one FILE (not stdin)');
    if (format === 'json' || flag('count')) throw new UsageError(`--shard K/N: the parts' outputs are concatenated, which ${flag('count') ? '--count' : 'a JSON array'} cannot be: use -f ndjson or -f csv`);
    // a part cannot be read alone: the same reasons that keep -j on one core (parallel/run.ts whyNotCut), known from the flags
    if (format === 'csv' && fields === undefined) throw new UsageError('--shard K/N -f csv: each part writes its rows without seeing the first record, which gives the columns: give --fields');
    if (new Set(elements.map((element) => element.startsWith('/'))).size > 1) throw new UsageError('--shard K/N with record names and /paths together: a part cannot tell where a /path begins from its bytes: give names or paths');
    if (flag('strip-ns')) throw new UsageError('--shard K/N with --strip-ns: a part finds records by their names as written, prefixes included: leave out --strip-ns');
    // these count from the file's start, which a part does not convert
    if (values.has('limit')) throw new UsageError('--shard K/N with --limit N: the first N records are the first part\'s, not each part\'s: run --limit without --shard');
    if (skip) throw new UsageError('--shard K/N with --on-error skip: a skipped record is numbered from the file\'s start, which a part does not read: run --on-error skip without --shard');
    shard = { k, n };
  }
  if ((jobs !== 1 || shard !== undefined) && one('parser') === 'sax') throw new UsageError(`${shard === undefined ? '-j' : '--shard'} runs our own tokenizer on each range: leave out --parser sax`);
  return {
    jobs,
    shard,
    verbose: flag('verbose'),
    where: all('where'),
    files: files.length === 0 ? ['-'] : files,
    output: one('output'),
    keepGoing: flag('keep-going'),
    progress: values.has('progress') ? flag('progress') : undefined,
    debug: flag('debug'),
    skip: skip ? one('errors') ?? '' : undefined,
    paths: !flag('paths') ? undefined : values.has('format') ? 'json' : 'table',
    parse: {
      parser: (one('parser') ?? 'cosax') as ParseOptions['parser'],
      limits: { maxDepth: number('max-depth', DEFAULT_LIMITS.maxDepth, positive, whole), maxText: number('max-text', DEFAULT_LIMITS.maxText, positive, whole) },
      keepSpace: flag('keep-space'),
      encoding,
    },
    pipeline: {
      element: elements.length === 0 ? undefined : elements,
      tag: flag('tag'),
      where: where.length === 0 ? undefined : allOf(where),
      format,
      fields,
      indent: pretty === 0 ? undefined : pretty,
      count: flag('count'),
      limit: values.has('limit') ? number('limit', 0, positive, whole) : undefined,
      array: files.length > 1,
      maxRecord: number('max-record', DEFAULT_LIMITS.maxRecord, positive, whole),
      forceList: all('array'),
      stripNamespaces: flag('strip-ns'),
      keepSpace: flag('keep-space'),
      ...keys,
      coerce: flag('coerce'),
      shape,
      withFile: flag('with-file'),
    },
  };
}

/** The text of a --shape FILE; an error says why it cannot be read, as an input's would. */
function readShape(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(ioWords(error));
  }
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[], io: Io = process): Promise<number> {
  const settings = settingsOrExit({ name: 'xml2json', input: 'XML', flags: () => parseFlags(withPrettyArgument(argv), FLAGS, ['progress']), help, settingsOf }, io);
  return typeof settings === 'number' ? settings : convert(settings, io);
}

interface Input {
  name: string;
  /** a regular file, which -j can read at any byte */
  file?: string | undefined;
  open(): AsyncIterable<Chunk>;
}

async function convert(settings: Settings, io: Io): Promise<number> {
  const [{ pathsOfInputs, pipelineOfInputs }, { parse }, { decompressed, fileBytes }, { isStdout, outputSink }, { noProgress, progressBar, wantsProgress }, { RecordSkipper }] = await Promise.all([
    import('./chain.js'), import('./driver.js'), import('./io/source.js'), import('./io/sink.js'), import('./io/progress.js'), import('./skip.js'),
  ]);
  const report = (error: unknown, file: string): number => {
    io.stderr.write(`xml2json: ${describe(error, file)}\n`);
    if (settings.debug && error instanceof Error && error.stack !== undefined) io.stderr.write(error.stack + '\n');
    return 1;
  };

  // Every input is looked at before anything is written: a missing file is reported with no output
  // (with --keep-going, reported, and the others converted).
  const failed = new Failures(settings.files.length, report, io.stderr);
  const inputs: Input[] = [];
  const inputFiles: Stats[] = [];
  let total: number | undefined = 0;
  for (const file of settings.files) {
    let regular = false;
    try {
      const found = file === '-' ? await stdinStats(io.stdin) : await readableStats(file);
      regular = found?.isFile() === true;
      if (regular) inputFiles.push(found!);
      total = !regular || total === undefined ? undefined : total + found!.size;
    } catch (error) {
      if (!settings.keepGoing) return report(error, file);
      failed.note(error, file);
      continue;
    }
    inputs.push(file === '-'
      ? { name: '<stdin>', open: () => io.stdin }
      : { name: file, file: regular ? file : undefined, open: () => fileBytes(file, regular) });
  }

  const toStdout = isStdout(settings.output);
  const errorsFile = settings.skip === '' ? undefined : settings.skip;
  const refusal = (toStdout ? undefined : await refusedOutput(settings.output!, inputFiles))
    ?? (errorsFile === undefined ? undefined : await refusedOutput(errorsFile, inputFiles, '--errors'))
    ?? (errorsFile !== undefined && errorsFile === settings.output ? `--errors ${errorsFile} is also the output (-o): write them to two files` : undefined);
  if (refusal !== undefined) {
    io.stderr.write(`xml2json: ${refusal}\nTry 'xml2json --help'.\n`);
    return 2;
  }
  let sink: Sink;
  try {
    sink = await outputSink(settings.output, io);
  } catch (error) {
    return report(error, settings.output!);
  }
  let skips: Skips;
  try {
    skips = new Skips(io.stderr, errorsFile);
  } catch (error) {
    await sink.abort();
    return report(error, errorsFile!);
  }

  const progress: Progress = wantsProgress({ flag: settings.progress, stderrIsTTY: isTTY(io.stderr), stdoutIsTTY: toStdout && isTTY(io.stdout), total })
    ? await progressBar(io.stderr, total)
    : noProgress;
  // (--paths follows every element's parent, in document order: one core; --verbose says so)
  if (settings.paths !== undefined && settings.verbose && settings.jobs !== 1) io.stderr.write('xml2json: --paths: one core: an element is counted in its parent, in document order\n');
  if (settings.paths === undefined && (settings.jobs !== 1 || settings.shard !== undefined)) return inParallel(settings, io, inputs, sink, progress, report, skips, failed);
  let enough = false; // --limit: the records wanted are kept, nothing more is read
  const chain = settings.paths !== undefined
    ? pathsOfInputs({ ...settings.pipeline, json: settings.paths === 'json' }, sink.write)
    : pipelineOfInputs({ ...settings.pipeline, onRecord: progress === noProgress ? undefined : progress.record, onLimit: () => (enough = true) }, sink.write);

  const output = toStdout ? '<stdout>' : settings.output!;
  let current = '';
  try {
    const notes: string[] = [];
    for (const input of inputs) {
      current = input.name;
      const skipper = settings.skip === undefined ? undefined : new RecordSkipper(settings.pipeline.element as string[], (skipped) => skips.note(input.name, skipped));
      const head = chain.next(skipper?.recordStarted, input.name);
      let complete = true;
      try {
        await parse(decompressed(counted(input.open(), progress)), head.events, { ...settings.parse, file: input.name, drained: sink.drained, stop: () => enough, skip: skipper });
      } catch (error) {
        // --limit: a fault after the records wanted lies in what need not have been read, in any chunking
        if (!(enough && isInputFault(error)) && !(settings.keepGoing && failed.add(error, input.name))) throw error;
        complete = enough;
      }
      if (complete && head.selector?.found === false) notes.push(noRecords(head.selector.elements, { root: head.inventory.root, repeated: head.inventory.repeated() }, input.name));
      if (enough) break;
    }
    current = output;
    chain.close();
    progress.stop();
    await sink.finish();
    for (const note of notes) io.stderr.write(`xml2json: ${note}\n`);
    return skips.end(failed.end());
  } catch (error) {
    progress.stop();
    if (isClosedPipe(error)) return 0; // `| head` has what it wanted
    let kept: string | undefined;
    try {
      chain.close(); // the JSON array gets its `]`: valid JSON with the records before the fault
    } finally {
      kept = await sink.abort();
    }
    const code = report(error, (error as NodeJS.ErrnoException).syscall === 'write' ? output : current);
    sayKept(io.stderr, 'xml2json', kept, output);
    return skips.end(code);
  }
}

/** --on-error skip: each record dropped is a line on stderr, and one in --errors FILE; the count comes last. */
class Skips {
  private count = 0;
  private readonly errors: number | undefined;

  constructor(private readonly stderr: Writable, private readonly file: string | undefined) {
    this.errors = file === undefined ? undefined : openSync(file, 'w');
  }

  note(input: string, skipped: SkippedRecord): void {
    this.count++;
    this.stderr.write(`xml2json: ${input}:${skipped.line}:${skipped.column}: skipped record ${skipped.record.toLocaleString('en-US')}: ${skipped.reason}\n`);
    if (this.errors !== undefined) writeSync(this.errors, `${JSON.stringify({ file: input, ...skipped })}\n`);
  }

  /** The exit status: 1 when a record was skipped; the last line says how many. */
  end(status: number): number {
    if (this.errors !== undefined) closeSync(this.errors);
    if (this.count === 0) return status;
    this.stderr.write(`xml2json: skipped ${this.count.toLocaleString('en-US')} record${this.count === 1 ? '' : 's'}${this.file === undefined ? '' : `, written to ${this.file}`}\n`);
    return 1;
  }
}

/** --keep-going: each input that failed is reported as it fails; the last line says how many did. */
class Failures {
  private count = 0;

  constructor(private readonly inputs: number, private readonly report: (error: unknown, file: string) => number, private readonly stderr: Writable) {}

  /** Reports a fault of an input (its XML, reading it); false for any other error (the output's), which still ends the run. */
  add(error: unknown, file: string): boolean {
    if (!isInputFault(error)) return false;
    this.note(error, file);
    return true;
  }

  /** Reports an input that cannot be read at all. */
  note(error: unknown, file: string): void {
    this.count++;
    this.report(error, file);
  }

  /** The exit status: 1 when an input failed, said in the last line. */
  end(): number {
    if (this.count === 0) return 0;
    this.stderr.write(`xml2json: ${this.count} of ${this.inputs} FILEs failed (--keep-going)\n`);
    return 1;
  }
}

/** -j N and --shard K/N: the inputs as units of work on worker threads (src/parallel/), the output in order. */
async function inParallel(settings: Settings, io: Io, inputs: readonly Input[], sink: Sink, progress: Progress, report: (error: unknown, file: string) => number, skips: Skips, failed: Failures): Promise<number> {
  const [{ jobsOf, shardUnits, unitsOf }, { convertUnits, workerPool }, { RecordSkipper }] = await Promise.all([import('./parallel/inputs.js'), import('./parallel/run.js'), import('./skip.js')]);
  const { pipeline: options, parse: { limits = {}, encoding } } = settings;
  const { element, where: _tests, onRecord: _told, maxRecord, ...rest } = options;
  const spec: ChainSpec = { ...rest, element: element === undefined ? [] : [element].flat(), where: settings.where, limits: { ...limits, ...(maxRecord === undefined ? {} : { maxRecord }) }, encoding };
  const skipperOf = settings.skip === undefined ? undefined : (input: string) => new RecordSkipper(spec.element, (skipped) => skips.note(input, skipped));
  const jobs = jobsOf(settings.jobs);
  const pool = workerPool(jobs);
  const readers = inputs.map((input) => ({ ...input, open: () => counted(input.open(), progress) }));
  try {
    const { units, said } = settings.shard === undefined ? unitsOf(readers, spec, jobs, settings.parse, progress.record, skipperOf) : await shardUnits(readers[0]!, spec, settings.shard.k, settings.shard.n, jobs, pool.execute);
    if (settings.verbose) for (const line of said) io.stderr.write(`xml2json: ${line}\n`);
    const out = {
      write: sink.write,
      drained: sink.drained,
      flushed: sink.flushed,
      progress(bytes: number, records: number) {
        progress.read(bytes);
        for (let i = 0; i < records; i++) progress.record();
      },
    };
    const keepGoing = settings.keepGoing ? (error: unknown, file: string) => failed.add(error, file) : undefined;
    const absent = await convertUnits(units, spec, pool.execute, out, jobs, settings.shard === undefined || settings.shard.k === 1, keepGoing);
    progress.stop();
    await sink.finish();
    for (const [u, instead] of absent) io.stderr.write(`xml2json: ${noRecords(spec.element, instead, units[u]!.kind === 'here' ? units[u]!.name : units[u]!.file)}\n`);
    return skips.end(failed.end());
  } catch (error) {
    progress.stop();
    if (isClosedPipe(error)) return 0;
    const kept = await sink.abort();
    const code = report(error, inputs.length === 1 ? inputs[0]!.name : '<input>');
    sayKept(io.stderr, 'xml2json', kept, settings.output!);
    return skips.end(code);
  } finally {
    await pool.close();
  }
}

/** Says that -e found nothing, and what the input has instead: a typo is seen at once. */
function noRecords(elements: readonly string[], inventory: Absent, file: string): string {
  const wanted = elements.map((element) => (element.startsWith('/') ? `element at ${element}` : `<${element}> element`)).join(' or ');
  const repeated = inventory.repeated.map(({ name, count, path, elsewhere }) => `${name} (${count}, ${elsewhere ? 'most' : 'all'} at ${path})`);
  const instead = repeated.length > 0 ? `; the repeated elements, outermost first: ${repeated.join(', ')}` : inventory.root === undefined ? '' : ` (its root is <${inventory.root}>)`;
  return `no ${wanted} in ${file}${instead}`;
}

/** Passes chunks on, telling the progress bar how many bytes came (before gunzip: the file's bytes). */
async function* counted(chunks: AsyncIterable<Chunk>, progress: Progress): AsyncGenerator<Chunk> {
  for await (const chunk of chunks) {
    progress.read(chunk.length);
    yield chunk;
  }
}

/** A fault of an input (its XML, its compression, reading it), which leaves the output and the other inputs sound. */
function isInputFault(error: unknown): boolean {
  const { name, code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return error instanceof XmlSyntaxError || name === 'DecompressionError' || code?.startsWith('Z_') === true || syscall === 'read' || syscall === 'open';
}

// The library's messages name the option of a limit (maxRecord); the command's name the flag that sets it.
const FLAG_OF_LIMIT: Record<string, string> = { maxDepth: '--max-depth', maxText: '--max-text', maxRecord: '--max-record' };

function describe(error: unknown, file: string): string {
  if (error instanceof CsvColumnsError) return `${file}: ${error.message.replace(': fields ', ' with --fields ')}`;
  if (error instanceof XmlSyntaxError) return error.message.replace(/\((maxDepth|maxText|maxRecord)\)/u, (_, option: string) => `(${FLAG_OF_LIMIT[option]})`);
  return ioReason(error, file);
}
