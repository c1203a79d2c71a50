// The json2xml command, the way back: argv → settings (in one place) → inputs ▶ readJson ▶ emitXml ▶ sink.
// Exit status: 0 success, 1 bad input (JSON, a value XML cannot hold, gzip, I/O), 2 bad usage. Every
// error is one line on stderr, `json2xml: FILE:LINE:COL: what went wrong`; --debug adds the stack.

import { createReadStream } from 'node:fs';
import yargs from 'yargs';
import { type Coroutine, close, coroutine, fail, send } from '../coroutine.js';
import { ToXmlError } from '../json/errors.js';
import { type JsonFormat, readJson } from '../json/read.js';
import type { XmlRecordOptions } from '../json/xml-writer.js';
import { isXmlName } from '../json/xml-text.js';
import { type Sink, fileSink, streamSink } from '../io/sink.js';
import { gunzipped } from '../io/source.js';
import { emitXml } from '../stages/emit-xml.js';
import { GROUP, type Io, UsageError, checkReadable, describe, helpAndUsage, isClosedPipe, isTTY, oneLine } from './common.js';

// Real examples, the round trip first; README's "Back to XML" shows each with its output.
const EXAMPLES: Array<[string, string]> = [
  ['The round trip: records out of a feed as NDJSON, and back into XML', 'xml2json samples/buses.xml -e bus -f ndjson | json2xml --root buses --item bus'],
  ['A whole document and back; xml2json of the result gives the same JSON', 'xml2json doc.xml | json2xml -o doc-again.xml'],
  ['Indented, a tab a level (--indent 2: two spaces)', `echo '{"stop": {"@id": "7", "name": "Clark", "route": ["22", "36"]}}' | json2xml --pretty`],
  ['Records that are not {"name": …} objects get an element name from --item', `printf '{"id": 1}\\n{"id": 2}\\n' | json2xml --root stops --item stop`],
  ['Several roots make a fragment, without the XML declaration', `printf '{"a": 1}\\n{"b": 2}\\n' | json2xml --no-declaration`],
  ['gzip is read as it is; the output is put in place only if all of it converts', 'json2xml records.ndjson.gz --root feed --item entry -o feed.xml'],
];

const EPILOG = `Examples:
${EXAMPLES.map(([what, example]) => `  # ${what}\n  ${example}`).join('\n')}

The XML is exactly Python's xmltodict.unparse() of the JSON: keys starting with @ are attributes,
#text is an element's text, a list is that many elements, null an empty element. Where that would
not be well-formed XML (a key that is not an XML name, a character XML forbids, two roots), json2xml
stops and names the value's JSON path: $.feed.entry[3]["bad name"].

Exit status: 0 success, 1 bad input (JSON, a value XML cannot hold, gzip or I/O), 2 bad usage. Errors
are one line: "json2xml: FILE:LINE:COL: what went wrong". With --root, XML cut short by bad input is
still closed: well-formed, holding the records before the fault. With -o, a failed run writes nothing.`;

/** A flag that takes one value is given once: twice is a mistake, not a choice. */
const once =
  (flag: string) =>
  (value: string | string[]): string => {
    if (Array.isArray(value)) throw new UsageError(`--${flag} is given ${value.length} times; it takes one value`);
    return value;
  };

// Every flag is one .option() here, with its group and its default; settingsOf() reads it.
function command(argv: string[], width: number) {
  return helpAndUsage(
    yargs(argv)
      .scriptName('json2xml')
      .parserConfiguration({ 'camel-case-expansion': false })
      .usage('Usage: $0 [FILE...] [options]\n\nConvert JSON or NDJSON to XML while streaming, as xmltodict.unparse() does. FILE is a path, or -\nfor stdin; with no FILE, stdin is read unless it is a terminal. Gzip is recognised by its first\nbytes. Several FILEs make one output.')
      .option('format', { coerce: once('format'), group: GROUP.input, alias: 'f', choices: ['json', 'ndjson'] as const, requiresArg: true, defaultDescription: 'ndjson when the first line is a whole value and another follows', describe: 'json: one document, read whole; ndjson: a value a line, in constant memory' })
      .option('root', { coerce: once('root'), group: GROUP.records, type: 'string', requiresArg: true, defaultDescription: 'none: each value is a document', describe: 'Write the values (NDJSON lines, or the items of a JSON array) as records inside <NAME>' })
      .option('item', { coerce: once('item'), group: GROUP.records, type: 'string', requiresArg: true, defaultDescription: 'a record {"name": …} names its own', describe: 'Write each record as <NAME>…</NAME>' })
      .option('output', { coerce: once('output'), group: GROUP.output, alias: 'o', type: 'string', requiresArg: true, defaultDescription: 'stdout', describe: 'Write to FILE (- for stdout), put in place only when the run succeeds' })
      .option('pretty', { group: GROUP.output, type: 'boolean', default: false, describe: 'One element a line, indented by a tab a level' })
      .option('indent', { coerce: once('indent'), group: GROUP.output, type: 'string', requiresArg: true, defaultDescription: 'a tab', describe: 'Indent by N spaces a level (implies --pretty)' })
      .option('declaration', { group: GROUP.output, type: 'boolean', default: true, describe: 'The <?xml …?> declaration first, and one root; --no-declaration: a fragment, any number of roots' })
      .option('short-empty', { group: GROUP.output, type: 'boolean', default: false, describe: 'Write an empty element as <a/>, not <a></a>' })
      .option('attr-prefix', { coerce: once('attr-prefix'), group: GROUP.conversion, type: 'string', requiresArg: true, default: '@', describe: 'Keys with this prefix are attributes' })
      .option('text-key', { coerce: once('text-key'), group: GROUP.conversion, type: 'string', requiresArg: true, default: '#text', describe: "Key of an element's text" })
      .option('debug', { group: GROUP.other, type: 'boolean', default: false, describe: 'On error, also print the stack trace' }),
    width,
  );
}

/** Everything a run needs. */
interface Settings {
  files: string[];
  output: string | undefined;
  format: JsonFormat | undefined;
  debug: boolean;
  xml: XmlRecordOptions;
}

type Args = Awaited<ReturnType<ReturnType<typeof command>['parseAsync']>>;

/** Reads the parsed arguments; throws UsageError saying what is wrong. */
function settingsOf(args: Args): Settings {
  const files = args._.map(String);
  if (files.filter((file) => file === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');
  for (const flag of ['root', 'item'] as const) {
    const name = args[flag];
    if (name !== undefined && !isXmlName(name)) throw new UsageError(`--${flag} "${name}": not an XML name`);
  }
  let indent: number | undefined;
  if (args.indent !== undefined) {
    indent = Number(args.indent);
    if (!(/^\d+$/u.test(args.indent) && indent <= 16)) throw new UsageError('--indent N: N is a number of spaces from 0 to 16');
  }
  return {
    files: files.length === 0 ? ['-'] : files,
    output: args.output,
    format: args.format as JsonFormat | undefined,
    debug: args.debug,
    xml: {
      root: args.root,
      item: args.item,
      pretty: args.pretty || indent !== undefined,
      indent,
      fullDocument: args.declaration,
      shortEmptyElements: args['short-empty'],
      attrPrefix: args['attr-prefix'],
      textKey: args['text-key'],
    },
  };
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[], io: Io = process): Promise<number> {
  let helpText = '';
  let settings: Settings;
  try {
    const width = Math.min(100, (io.stdout as { columns?: number }).columns ?? 100);
    const args = await command(argv, width).parseAsync(argv, {}, (_error, _argv, text) => {
      helpText = text;
    });
    if (helpText !== '') {
      // --help, with the examples after it as written (yargs would wrap their long lines), or --version
      io.stdout.write(helpText.startsWith('Usage:') ? `${helpText}\n\n${EPILOG}\n` : `${helpText}\n`);
      return 0;
    }
    settings = settingsOf(args);
    // A bare `json2xml` at a prompt says what it wants rather than seem to hang waiting for typed JSON.
    if (args._.length === 0 && isTTY(io.stdin)) throw new UsageError('no FILE, and stdin is a terminal (give - to type the JSON)');
  } catch (error) {
    io.stderr.write(`json2xml: ${oneLine(error)}\nTry 'json2xml --help'.\n`);
    return 2;
  }
  return convert(settings, io);
}

/** Passes values on; being closed does not close its target (another input follows), a fault does. */
const keepOpen = coroutine(function* (target: Coroutine<unknown>) {
  try {
    for (;;) send(target, yield);
  } catch (error) {
    fail(target, error);
    throw error;
  }
});

async function convert(settings: Settings, io: Io): Promise<number> {
  const report = (error: unknown, file: string): number => {
    const hint = error instanceof ToXmlError && error.code === 'XML_ROOT' ? ' (--root NAME wraps the values in one; --no-declaration writes a fragment)' : '';
    io.stderr.write(`json2xml: ${describe(error instanceof ToXmlError ? error.at({ file }) : error, file)}${hint}\n`);
    if (settings.debug && error instanceof Error && error.stack !== undefined) io.stderr.write(error.stack + '\n');
    return 1;
  };

  // Every input is looked at before anything is written: a missing file is reported with no output.
  for (const file of settings.files) {
    try {
      if (file !== '-') await checkReadable(file);
    } catch (error) {
      return report(error, file);
    }
  }

  const toStdout = settings.output === undefined || settings.output === '-' || settings.output === '/dev/stdout';
  let sink: Sink;
  try {
    sink = toStdout ? streamSink(io.stdout) : settings.output === '/dev/stderr' ? streamSink(io.stderr) : await fileSink(settings.output!);
  } catch (error) {
    return report(error, settings.output!);
  }

  const output = toStdout ? '<stdout>' : settings.output!;
  let current = '';
  let chain: Coroutine<unknown> | undefined;
  try {
    chain = emitXml(settings.xml, sink.write);
    for (const file of settings.files) {
      current = file === '-' ? '<stdin>' : file;
      const chunks = gunzipped(file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 64 * 1024 }));
      await readJson(chunks, keepOpen(chain), { format: settings.format, file: current, drained: sink.drained });
    }
    close(chain); // the root's end tag; or no root at all, which is an error there
    current = output;
    await sink.finish();
    return 0;
  } catch (error) {
    if (isClosedPipe(error)) return 0; // `| head` has what it wanted
    await sink.abort();
    return report(error, (error as NodeJS.ErrnoException).syscall === 'write' ? output : current);
  }
}
