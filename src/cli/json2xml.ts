// The json2xml command, the way back: argv → settings (in one place) → inputs ▶ readJson ▶ emitXml ▶ sink.
// Exit status: 0 success, 1 bad input (JSON, a value XML cannot hold, compressed data, I/O), 2 bad
// usage. Every error is one line on stderr, `json2xml: FILE:LINE:COL: what went wrong`; --debug adds
// the stack. What only a conversion needs is imported when one runs: --version and --help load almost nothing.

import type { Stats } from 'node:fs';
import type { Coroutine } from '../coroutine.js';
import { type Flag, flagHelp, parseFlags } from '../flags.js';
import type { Sink } from '../io/sink.js';
import { ToXmlError } from '../json/errors.js';
import type { JsonFormat } from '../json/read.js';
import { isXmlName } from '../json/xml-text.js';
import type { XmlRecordOptions } from '../json/xml-writer.js';
import { GROUP, type Io, UsageError, settingsOrExit, ioReason, isClosedPipe, readableStats, refusedOutput, sayKept, stdinStats } from './common.js';

// Every flag is one line here, with its group and its default; settingsOf() reads it.
const FLAGS: readonly Flag[] = [
  { name: 'format', short: 'f', group: GROUP.input, type: 'string', value: 'FORMAT', choices: ['json', 'ndjson'], shown: 'ndjson when the first line is a whole value and another follows', describe: 'json: one document, read whole; ndjson: a value a line, in constant memory' },
  { name: 'root', group: GROUP.records, type: 'string', value: 'NAME', shown: 'none: each value is a document', describe: 'Write the values (NDJSON lines, or the items of a JSON array) as records inside <NAME>' },
  { name: 'item', group: GROUP.records, type: 'string', value: 'NAME', shown: 'a record {"name": …} names its own', describe: 'Write each record as <NAME>…</NAME> (inside --root)' },
  { name: 'output', short: 'o', group: GROUP.output, type: 'string', value: 'FILE', shown: 'stdout', describe: 'Write to FILE (- for stdout), put in place only when the run succeeds (else kept as FILE.partial)' },
  { name: 'pretty', group: GROUP.output, type: 'boolean', shown: 'false', describe: 'One element a line, indented by a tab a level' },
  { name: 'indent', group: GROUP.output, type: 'number', value: 'N', shown: 'a tab', describe: 'Indent by N spaces a level (implies --pretty)' },
  { name: 'declaration', group: GROUP.output, type: 'boolean', shown: 'true', describe: 'The <?xml …?> declaration first, and one root; --no-declaration: a fragment, any number of roots' },
  { name: 'short-empty', group: GROUP.output, type: 'boolean', shown: 'false', describe: 'Write an empty element as <a/>, not <a></a>' },
  { name: 'attr-prefix', group: GROUP.conversion, type: 'string', value: 'P', shown: '"@"', describe: 'Keys with this prefix are attributes' },
  { name: 'text-key', group: GROUP.conversion, type: 'string', value: 'K', shown: '"#text"', describe: "Key of an element's text" },
  { name: 'debug', group: GROUP.other, type: 'boolean', shown: 'false', describe: 'On error, also print the stack trace' },
  { name: 'help', short: 'h', group: GROUP.other, type: 'boolean', describe: 'Show this help' },
  { name: 'version', group: GROUP.other, type: 'boolean', describe: 'Show the version number' },
];

const USAGE = `Usage: json2xml [FILE...] [options]

Convert JSON or NDJSON to XML while streaming, as xmltodict.unparse() does. FILE is a path, or -
for stdin; with no FILE, stdin is read unless it is a terminal. gzip, bzip2, xz and zstd are
recognised by their first bytes. Several FILEs make one output.`;

// Real examples, the round trip first; README's "Back to XML" shows each with its output.
const EXAMPLES: Array<[string, string]> = [
  ['The round trip: records out of a feed as NDJSON, and back into XML', 'xml2json samples/buses.xml -e bus -f ndjson | json2xml --root buses --item bus'],
  ['A whole document and back; xml2json of the result gives the same JSON', 'xml2json doc.xml | json2xml -o doc-again.xml'],
  ['Indented, a tab a level (--indent 2: two spaces)', `echo '{"stop": {"@id": "7", "name": "Clark", "route": ["22", "36"]}}' | json2xml --pretty`],
  ['Each record written as <stop>…</stop> inside <stops> (without --item, its key would name it: <id>1</id>)', `printf '{"id": 1}\\n{"id": 2}\\n' | json2xml --root stops --item stop`],
  ['Several roots make a fragment, without the XML declaration', `printf '{"a": 1}\\n{"b": 2}\\n' | json2xml --no-declaration`],
  ['gzip is read as it is; the output is put in place only if all of it converts', 'json2xml records.ndjson.gz --root feed --item entry -o feed.xml'],
];

const EPILOG = `Examples:
${EXAMPLES.map(([what, example]) => `  # ${what}\n  ${example}`).join('\n')}

The XML is exactly Python's xmltodict.unparse() of the JSON: keys starting with @ are attributes,
#text is an element's text, a list is that many elements, null an empty element. Where that would
not be well-formed XML (a key that is not an XML name, a character XML forbids, two roots), json2xml
stops and names the value's JSON path: $.feed.entry[3]["bad name"].

Exit status: 0 success, 1 bad input (JSON, a value XML cannot hold, compressed data or I/O), 2 bad
usage. Errors are one line: "json2xml: FILE:LINE:COL: what went wrong". With --root, XML cut short by
bad input is still closed: well-formed, holding the records before the fault. With -o FILE, a failed
run leaves FILE as it was and keeps its output as FILE.partial.`;

function help(width: number): string {
  return `${USAGE}\n\n${flagHelp(FLAGS, width)}\n\n${EPILOG}\n`;
}

/** Everything a run needs. */
interface Settings {
  files: string[];
  output: string | undefined;
  format: JsonFormat | undefined;
  debug: boolean;
  xml: XmlRecordOptions;
}

/** The flags, read and checked; throws UsageError saying what is wrong. */
function settingsOf({ values, positionals: files }: ReturnType<typeof parseFlags>): Settings {
  const one = (name: string): string | undefined => values.get(name)?.[0];
  const flag = (name: string): boolean => one(name) === 'true';
  if (files.filter((file) => file === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');
  for (const name of ['root', 'item']) {
    const element = one(name);
    if (element !== undefined && !isXmlName(element)) throw new UsageError(`--${name} "${element}": not an XML name`);
  }
  if (one('item') !== undefined && one('root') === undefined) throw new UsageError('--item NAME writes each record inside the --root element: give --root NAME too');
  const indent = one('indent');
  if (indent !== undefined && !(/^\d+$/u.test(indent) && Number(indent) <= 16)) throw new UsageError(`--indent "${indent}": expected a number of spaces from 0 to 16`);
  return {
    files: files.length === 0 ? ['-'] : files,
    output: one('output'),
    format: one('format') as JsonFormat | undefined,
    debug: flag('debug'),
    xml: {
      root: one('root'),
      item: one('item'),
      pretty: flag('pretty') || indent !== undefined,
      indent: indent === undefined ? undefined : Number(indent),
      fullDocument: one('declaration') !== 'false',
      shortEmptyElements: flag('short-empty'),
      attrPrefix: one('attr-prefix'),
      textKey: one('text-key'),
    },
  };
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[], io: Io = process): Promise<number> {
  const settings = settingsOrExit({ name: 'json2xml', input: 'JSON', flags: () => parseFlags(argv, FLAGS, ['declaration']), help, settingsOf }, io);
  return typeof settings === 'number' ? settings : convert(settings, io);
}

async function convert(settings: Settings, io: Io): Promise<number> {
  const [{ close, coroutine, fail, send }, { readJson }, { emitXml }, source, { isStdout, outputSink }] = await Promise.all([
    import('../coroutine.js'), import('../json/read.js'), import('../stages/emit-xml.js'), import('../io/source.js'), import('../io/sink.js'),
  ]);
  const report = (error: unknown, file: string): number => {
    const hint = error instanceof ToXmlError && error.code === 'XML_ROOT' ? ' (--root NAME wraps the values in one; --no-declaration writes a fragment)' : '';
    io.stderr.write(`json2xml: ${error instanceof ToXmlError ? error.at({ file }).message : ioReason(error, file)}${hint}\n`);
    if (settings.debug && error instanceof Error && error.stack !== undefined) io.stderr.write(error.stack + '\n');
    return 1;
  };

  // Every input is looked at before anything is written: a missing file is reported with no output.
  const inputFiles: Stats[] = [];
  const regular = new Set<string>(); // the FILEs that are regular files
  for (const file of settings.files) {
    try {
      const found = file === '-' ? await stdinStats(io.stdin) : await readableStats(file);
      if (found?.isFile() === true) inputFiles.push(found);
      if (found?.isFile() === true && file !== '-') regular.add(file);
    } catch (error) {
      return report(error, file);
    }
  }
  const toStdout = isStdout(settings.output);
  const refusal = toStdout ? undefined : await refusedOutput(settings.output!, inputFiles);
  if (refusal !== undefined) {
    io.stderr.write(`json2xml: ${refusal}\nTry 'json2xml --help'.\n`);
    return 2;
  }
  let sink: Sink;
  try {
    sink = await outputSink(settings.output, io);
  } catch (error) {
    return report(error, settings.output!);
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

  const output = toStdout ? '<stdout>' : settings.output!;
  let current = '';
  try {
    const chain = emitXml(settings.xml, sink.write);
    for (const file of settings.files) {
      current = file === '-' ? '<stdin>' : file;
      const chunks = file === '-' ? source.decompressed(io.stdin) : source.decompressed(source.fileBytes(file, regular.has(file)));
      await readJson(chunks, keepOpen(chain), { format: settings.format, file: current, lines: true, drained: sink.drained });
    }
    close(chain); // the root's end tag; or no root at all, which is an error there
    current = output;
    await sink.finish();
    return 0;
  } catch (error) {
    if (isClosedPipe(error)) return 0; // `| head` has what it wanted
    const kept = await sink.abort();
    const code = report(error, (error as NodeJS.ErrnoException).syscall === 'write' ? output : current);
    sayKept(io.stderr, 'json2xml', kept, output);
    return code;
  }
}
