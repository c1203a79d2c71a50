// The xml2json command: yargs → options → source ▶ parse ▶ pipeline ▶ sink.
// Exit status: 0 success, 1 bad input (XML or I/O), 2 bad usage. Every error is one line on stderr.

import type { Readable, Writable } from 'node:stream';
import yargs from 'yargs';
import { XmlSyntaxError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { streamSink } from './io/sink.js';
import { openSource } from './io/source.js';
import { parse } from './parse/parse.js';
import { type Format, pipeline } from './pipeline.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

class UsageError extends Error {}

const EXAMPLES: Array<[string, string]> = [
  ['$0 allroutes.xml -e bus -w route=22 -w "direction=North Bound" -f csv --fields route,id,direction,latitude,longitude', 'the course\'s job: route 22\'s northbound buses as CSV'],
  ['$0 feed.xml -e item -f ndjson | jq .title', 'one JSON record per <item>, a line each'],
  ['$0 doc.xml --pretty', 'the whole document as one JSON value, indented'],
  ['cat doc.xml | $0 -e /catalog/book', 'records at an absolute path, from stdin'],
];

function parseWhere(expression: string): [string, string] {
  const eq = expression.indexOf('=');
  if (eq <= 0) throw new UsageError(`--where "${expression}": expected FIELD=VALUE`);
  return [expression.slice(0, eq), expression.slice(eq + 1)];
}

function command(argv: string[]) {
  return yargs(argv)
    .scriptName('xml2json')
    .usage('$0 [FILE]\n\nConvert XML to JSON, NDJSON or CSV while streaming: FILE, or stdin for "-" or no FILE.')
    .option('element', { alias: 'e', type: 'string', describe: 'Record mode: one record per outermost <NAME>, or per element at an absolute /path' })
    .option('where', { alias: 'w', type: 'string', array: true, describe: 'Keep records whose FIELD equals VALUE (FIELD=VALUE; repeat: all must hold)' })
    .option('format', { alias: 'f', choices: ['json', 'ndjson', 'csv'] as const, default: 'json' as Format, describe: 'json: the document, or an array of records; ndjson: a record a line; csv: a row a record' })
    .option('fields', { type: 'string', describe: 'Comma-separated CSV columns (default: the first record\'s keys)' })
    .option('pretty', { type: 'boolean', default: false, describe: 'Indent JSON by two spaces' })
    .options({
      array: { type: 'string', array: true, nargs: 1, describe: 'Elements named NAME are always arrays, even when there is one (repeatable)' },
      'strip-ns': { type: 'boolean', default: false, describe: 'Drop namespace prefixes (soap:Body → Body) and xmlns attributes' },
      'attr-prefix': { type: 'string', default: '@', describe: 'Prefix of attribute keys' },
      'text-key': { type: 'string', default: '#text', describe: 'Key of text beside attributes or child elements' },
      coerce: { type: 'boolean', default: false, describe: 'Numbers and true/false as JSON numbers and booleans ("007" and integers beyond 2^53 stay strings)' },
    })
    .group(['array', 'strip-ns', 'attr-prefix', 'text-key', 'coerce'], 'The JSON (defaults: xmltodict\'s):')
    .option('max-depth', { type: 'number', describe: `Deepest element nesting allowed (default ${DEFAULT_LIMITS.maxDepth})` })
    .option('max-text', { type: 'number', describe: `Longest text allowed, in characters (default ${DEFAULT_LIMITS.maxText})` })
    .option('max-record', { type: 'number', describe: `Largest record (or document, without -e) allowed, in characters (default ${DEFAULT_LIMITS.maxRecord})` })
    .check((args) => {
      for (const flag of ['max-depth', 'max-text', 'max-record']) {
        const value = args[flag];
        if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) throw new UsageError(`--${flag}: expected a positive whole number`);
      }
      return true;
    })
    .option('parser', { choices: ['sax', 'saxes'] as const, default: 'sax' as const, describe: 'Tokenizer backend: the same output; saxes is faster' })
    .example(EXAMPLES)
    .epilog('Exit status: 0 success, 1 bad input, 2 bad usage. After David Beazley\'s "A Curious Course on Coroutines and Concurrency".')
    .strictOptions()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[], io: Io = process): Promise<number> {
  let output = '';
  let args;
  try {
    args = await command(argv).parseAsync(argv, {}, (_error, _argv, text) => {
      output = text;
    });
  } catch (error) {
    io.stderr.write(`xml2json: ${error instanceof Error ? error.message : String(error)}\nTry 'xml2json --help'.\n`);
    return 2;
  }
  if (output !== '') {
    io.stdout.write(output + '\n'); // --help or --version
    return 0;
  }
  const files = args._.map(String);
  if (files.length > 1) {
    io.stderr.write(`xml2json: one FILE at most, got ${files.length}\n`);
    return 2;
  }
  let where: Array<[string, string]>;
  try {
    where = (args.where ?? []).map(parseWhere);
  } catch (error) {
    io.stderr.write(`xml2json: ${(error as Error).message}\n`);
    return 2;
  }

  const source = openSource(files[0], io.stdin);
  const sink = streamSink(io.stdout);
  let closedPipe = false;
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closedPipe = true;
  });
  const chain = pipeline(
    {
      element: args.element,
      where,
      format: args.format,
      fields: args.fields?.split(',').map((field) => field.trim()),
      indent: args.pretty ? 2 : undefined,
      forceList: args.array,
      stripNamespaces: args.stripNs,
      attrPrefix: args.attrPrefix,
      textKey: args.textKey,
      coerce: args.coerce,
      ...(args.maxRecord === undefined ? {} : { maxRecord: args.maxRecord }),
    },
    sink.write,
  );
  try {
    const limits = { ...(args.maxDepth === undefined ? {} : { maxDepth: args.maxDepth }), ...(args.maxText === undefined ? {} : { maxText: args.maxText }) };
    await parse(source.chunks, chain, { file: source.name, parser: args.parser, drained: sink.drained, limits });
    return 0;
  } catch (error) {
    if (closedPipe || (error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    await sink.drained().catch(() => undefined); // records completed before the fault go out first
    io.stderr.write(`xml2json: ${describe(error, source.name)}\n`);
    return 1;
  }
}

function describe(error: unknown, file: string): string {
  if (error instanceof XmlSyntaxError) return error.message;
  const io = error as NodeJS.ErrnoException;
  if (io.code === 'ENOENT') return `${file}: no such file`;
  if (io.code === 'EACCES') return `${file}: permission denied`;
  if (io.code === 'EISDIR') return `${file}: is a directory`;
  return `${file}: ${io.message}`;
}
