// The json2xml command as a user runs it: spawned, on stdin, files, gzip and pipes; exit status 0 / 1
// bad input / 2 bad usage; one line `json2xml: FILE:LINE:COL: what`; -o put in place only on success.
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, type Ran, outcome } from '../helpers/run-bin.js';
import { helpExamples, helpOptions, inTerminal, scratch, sh } from '../cli/shell.js';

const JSON2XML = join(ROOT, 'bin/json2xml.js');
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

function json2xml(args: string[], stdin?: string | Uint8Array): Promise<Ran> {
  const child = spawn(process.execPath, [JSON2XML, ...args], { cwd: ROOT });
  child.stdin.end(stdin);
  return outcome(child);
}

const help = (await json2xml(['--help'])).stdout;

describe('json2xml --help and --version', () => {
  it('groups the options, and shows the round trip first', () => {
    expect(help.split('\n').filter((line) => /^[A-Z][a-z]+:$/u.test(line))).toEqual(['Input:', 'Records:', 'Output:', 'Conversion:', 'Other:', 'Examples:']);
    expect(helpExamples(help)[0]![1]).toBe('xml2json samples/buses.xml -e bus -f ndjson | json2xml --root buses --item bus');
  });

  it('gives every option its default', () => {
    const entries = helpOptions(help);
    expect(entries.length).toBeGreaterThanOrEqual(10);
    for (const entry of entries) expect(entry).toMatch(/\[default: [^\]]+\]/u);
  });

  it('shows examples that run as written (in a folder with the files they name)', async () => {
    const dir = scratch();
    copyFileSync(join(ROOT, 'test/fixtures/atom.xml'), join(dir, 'doc.xml'));
    writeFileSync(join(dir, 'records.ndjson.gz'), gzipSync('{"id": "1"}\n{"id": "2"}\n'));
    for (const [what, line] of helpExamples(help)) {
      const { code, stdout, stderr } = await sh(line.replaceAll('samples/', `${ROOT}/samples/`), dir);
      expect({ what, code, stderr }).toEqual({ what, code: 0, stderr: '' });
      if (!line.includes(' -o ')) expect(stdout.startsWith('<')).toBe(true);
    }
    expect(readFileSync(join(dir, 'feed.xml'), 'utf8')).toBe(`${DECLARATION}<feed><entry><id>1</id></entry><entry><id>2</id></entry></feed>`);
  });

  it("xml2json's --help shows the way back too", async () => {
    const { stdout } = await sh('xml2json --help');
    expect(stdout).toMatch(/\| json2xml\n/u);
  });

  it("--version prints package.json's version", async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await json2xml(['--version'])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });
});

describe('json2xml converts', () => {
  it('a JSON document on stdin, as unparse writes it', async () => {
    expect(await json2xml([], '{"stop": {"@id": "7", "name": "Clark & Lake", "route": ["22", "36"]}}')).toEqual({
      code: 0,
      stdout: `${DECLARATION}<stop id="7"><name>Clark &amp; Lake</name><route>22</route><route>36</route></stop>`,
      stderr: '',
    });
  });

  it('NDJSON records inside --root, named by --item or by their own key', async () => {
    expect((await json2xml(['--root', 'stops', '--item', 'stop'], '{"id": 1}\n{"id": 2}\n')).stdout).toBe(`${DECLARATION}<stops><stop><id>1</id></stop><stop><id>2</id></stop></stops>`);
    expect((await json2xml(['--root', 'feed'], '{"bus": "1"}\n\n{"train": "2"}\n')).stdout).toBe(`${DECLARATION}<feed><bus>1</bus><train>2</train></feed>`);
    expect((await json2xml(['--root', 'stops', '--item', 'stop'], '[{"id": 1}, {"id": 2}]')).stdout).toBe(`${DECLARATION}<stops><stop><id>1</id></stop><stop><id>2</id></stop></stops>`); // a JSON array's items
  });

  it('--pretty, --indent N, --no-declaration, --short-empty, --attr-prefix, --text-key', async () => {
    const value = '{"a": {"_x": "1", "b": null, "t": "text"}}';
    expect((await json2xml(['--pretty', '--attr-prefix', '_', '--text-key', 't'], value)).stdout).toBe(`${DECLARATION}<a x="1">\n\t<b></b>\ntext</a>`);
    expect((await json2xml(['--indent', '2', '--no-declaration', '--short-empty'], '{"a": {"b": null, "c": {"d": "1"}}}')).stdout).toBe('<a>\n  <b/>\n  <c>\n    <d>1</d>\n  </c>\n</a>');
    expect((await json2xml(['--no-declaration'], '{"a": 1}\n{"b": 2}\n')).stdout).toBe('<a>1</a>\n<b>2</b>');
  });

  it('-f json reads even one line a document; -f ndjson reads one line a value', async () => {
    const run = await json2xml(['-f', 'json'], '{"a": 1}\n{"b": 2}\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^json2xml: <stdin>:2:1: /u);
    expect((await json2xml(['-f', 'ndjson', '--root', 'r'], '{"a": 1}\n')).stdout).toBe(`${DECLARATION}<r><a>1</a></r>`);
  });

  it('several FILEs, - among them, gzipped or not, make one output', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.ndjson.gz'), gzipSync('{"id": "a1"}\n{"id": "a2"}\n'));
    writeFileSync(join(dir, 'b.json'), '[\n  {"id": "b1"}\n]\n');
    const run = await json2xml([join(dir, 'a.ndjson.gz'), '-', join(dir, 'b.json'), '--root', 'r', '--item', 'i'], '{"id": "stdin"}\n');
    expect(run).toEqual({ code: 0, stdout: `${DECLARATION}<r><i><id>a1</id></i><i><id>a2</id></i><i><id>stdin</id></i><i><id>b1</id></i></r>`, stderr: '' });
  });

  it('a FILE of many 64 KB chunks, characters cut at their ends, reads as its text; a fault in its middle stops it there', async () => {
    const dir = scratch();
    const texts: string[] = [];
    let bytes = 0;
    // Each chunk's end (64 K, 128 K, …) falls inside é (2 bytes), € (3) or 𝄞 (4), one after another.
    for (let chunk = 1; chunk <= 6; chunk++) {
      const char = ['é', '€', '𝄞'][chunk % 3]!;
      const cut = chunk * 65_536 - bytes - Buffer.byteLength('{"t":"') - 1; // bytes before the character, one of its bytes left in this chunk
      const filler = `${'x & y '.repeat(Math.floor(cut / 6))}${'z'.repeat(cut % 6)}`;
      texts.push(filler + char + 'ok');
      bytes += Buffer.byteLength(`{"t":"${texts.at(-1)!}"}\n`);
    }
    const lines = texts.map((t) => JSON.stringify({ t }));
    writeFileSync(join(dir, 'big.ndjson'), lines.join('\n') + '\n');
    const xml = (t: string): string => `<i><t>${t.replaceAll('&', '&amp;')}</t></i>`;
    const run = await json2xml([join(dir, 'big.ndjson'), '--root', 'r', '--item', 'i']);
    expect(run).toEqual({ code: 0, stdout: `${DECLARATION}<r>${texts.map(xml).join('')}</r>`, stderr: '' });
    writeFileSync(join(dir, 'bad.ndjson'), [...lines.slice(0, 4), '{"t": x}', ...lines.slice(4)].join('\n'));
    const bad = await json2xml([join(dir, 'bad.ndjson'), '--root', 'r', '--item', 'i']);
    expect(bad).toEqual({ code: 1, stdout: `${DECLARATION}<r>${texts.slice(0, 4).map(xml).join('')}</r>`, stderr: expect.stringMatching(/^json2xml: .*bad\.ndjson:5:7: /u) as unknown as string });
  });

  it('-o FILE: written beside, put in place on success; a file that was there is replaced', async () => {
    const dir = scratch();
    const out = join(dir, 'out.xml');
    writeFileSync(out, 'old');
    expect(await json2xml(['-o', out], '{"a": "1"}')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(`${DECLARATION}<a>1</a>`);
    expect(readdirSync(dir)).toEqual(['out.xml']);
  });

  it('100,000 levels deep, and __proto__ as an ordinary name', async () => {
    const depth = 100_000;
    const run = await json2xml([], `{"__proto__": ${'{"a": '.repeat(depth)}"x"${'}'.repeat(depth)}}`);
    expect(run).toEqual({ code: 0, stdout: `${DECLARATION}<__proto__>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</__proto__>`, stderr: '' });
  });

  it('-o FILE that is also an input is bad usage: nothing is read, the file stays', async () => {
    const dir = scratch();
    const both = join(dir, 'both.json');
    writeFileSync(both, '{"a": 1}');
    const run = await json2xml([both, '-o', both]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^json2xml: -o [^\n]+ is also an input[^\n]*\nTry 'json2xml --help'\.\n$/u);
    expect(readFileSync(both, 'utf8')).toBe('{"a": 1}');
  });

  it('a reader that stops early (| head) is no error', async () => {
    const { code, stdout, stderr } = await sh(`yes '{"bus": {"id": "1", "route": "22"}}' | head -n 200000 | json2xml --root feed | head -c 100`);
    expect({ code, stderr, length: stdout.length }).toEqual({ code: 0, stderr: '', length: 100 });
  });
});

describe('json2xml on bad input: exit 1, one line, the records before the fault written', () => {
  it('a JSON fault: FILE:LINE:COL', async () => {
    const run = await json2xml([], '{\n  "a": [1,\n  2,]\n}');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^json2xml: <stdin>:3:5: [^\n]+\n$/u);
  });

  it('an NDJSON fault: the records before it, the root closed (well-formed), then FILE:LINE:COL', async () => {
    const run = await json2xml(['--root', 'r', '--item', 'i'], '{"a": 1}\n{"a": 2}\n{"a": }\n{"a": 4}\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${DECLARATION}<r><i><a>1</a></i><i><a>2</a></i></r>`);
    expect(run.stderr).toMatch(/^json2xml: <stdin>:3:7: [^\n]+\n$/u);
  });

  it("a value XML cannot hold: FILE:LINE (the record's, in NDJSON) and its JSON path", async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'f.ndjson'), '{"bus": {"id": "1"}}\n{"bus": {"bad name": "2"}}\n');
    const ndjson = await json2xml([join(dir, 'f.ndjson'), '--root', 'feed']);
    expect(ndjson.code).toBe(1);
    expect(ndjson.stdout).toBe(`${DECLARATION}<feed><bus><id>1</id></bus></feed>`);
    expect(ndjson.stderr).toMatch(new RegExp(`^json2xml: ${join(dir, 'f.ndjson')}:2: \\$\\.bus\\["bad name"\\]: [^\\n]+\\n$`, 'u'));
    const document = await json2xml([], '{"feed": {"entry": [{}, {}, {}, {"x": "\\u0001"}]}}');
    expect(document.stderr).toMatch(/^json2xml: <stdin>:1: \$\.feed\.entry\[3\]\.x: [^\n]+\n$/u);
  });

  it('two roots with the declaration: the first written, the second refused, with the flags that would do', async () => {
    const run = await json2xml([], '{"a": 1}\n{"b": 2}\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${DECLARATION}<a>1</a>`);
    expect(run.stderr).toMatch(/^json2xml: <stdin>:2: \$\.b: .*--root NAME.*--no-declaration/u);
  });

  it('no JSON at all: no root, an error', async () => {
    expect(await json2xml([], '\n')).toMatchObject({ code: 1, stdout: '' });
  });

  it('a FILE that is missing: nothing written, even for the FILEs before it', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'good.json'), '{"a": 1}');
    const run = await json2xml([join(dir, 'good.json'), join(dir, 'nope.json')]);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `json2xml: ${join(dir, 'nope.json')}: no such file\n` });
  });

  it('gzip cut short, and bytes that are not UTF-8', async () => {
    const gz = gzipSync('{"a": 1}\n'.repeat(100));
    expect((await json2xml(['--root', 'r'], gz.subarray(0, gz.length - 12))).stderr).toBe('json2xml: <stdin>: gzip data cut short\n');
    expect((await json2xml([], Buffer.from([0x7b, 0x0a, 0x22, 0xff]))).stderr).toMatch(/^json2xml: <stdin>:2:2: /u);
  });

  it('bytes that are not UTF-8 after complete records: every record before them written, in any chunk', async () => {
    const lines = Buffer.concat([Buffer.from('{"id": "1"}\n{"id": "2"}\n{"id": "3"}\n{"id": "'), Buffer.from([0xc3]), Buffer.from('"}\n')]);
    const run = await json2xml(['--root', 'r', '--item', 'i'], lines);
    expect(run).toEqual({ code: 1, stdout: `${DECLARATION}<r><i><id>1</id></i><i><id>2</id></i><i><id>3</id></i></r>`, stderr: 'json2xml: <stdin>:4:9: bytes that are not UTF-8 (0xC3); JSON is UTF-8\n' });
  });

  it('-o: a failed run leaves the file that was there as it was, and keeps what stdout would have had as FILE.partial', async () => {
    const dir = scratch();
    const out = join(dir, 'out.xml');
    writeFileSync(out, 'precious');
    const input = '{"a": 1}\n{"a": tru}\n';
    const run = await json2xml(['-o', out, '--root', 'r'], input);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[1]).toBe(`json2xml: the output before the fault is in ${out}.partial (${out} is not replaced)`);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(readdirSync(dir).sort()).toEqual(['out.xml', 'out.xml.partial']);
    const toStdout = await json2xml(['--root', 'r'], input);
    expect(toStdout.stdout).toBe(`${DECLARATION}<r><a>1</a></r>`); // the first record, and the root closed
    expect(readFileSync(`${out}.partial`, 'utf8')).toBe(toStdout.stdout);
  });

  it('no stack trace, unless --debug', async () => {
    expect((await json2xml([], '{')).stderr.split('\n')).toHaveLength(2);
    expect((await json2xml(['--debug'], '{')).stderr).toMatch(/^json2xml: <stdin>:1:2: [^\n]+\nToXmlError: .*\n {4}at /u);
  });
});

describe('json2xml on bad usage: exit 2, one line and a hint', () => {
  it.each<[string, string[]]>([
    ['a flag that takes one value, given twice', ['--root', 'a', '--root', 'b']],
    ['-o twice', ['-o', 'a.xml', '-o', 'b.xml']],
    ['--indent that is not a number', ['--indent', 'x']],
    ['--indent too large', ['--indent', '99']],
    ['--root that is not an XML name', ['--root', 'two words']],
    ['--item that is not one', ['--root', 'r', '--item', '1x']],
    ['an unknown option', ['--prety']],
    ['--item without --root, which it would name the records inside', ['--item', 'i']],
    ['a format there is not', ['-f', 'yaml']],
    ['stdin twice', ['-', '-']],
  ])('%s', async (_what, args) => {
    const run = await json2xml(args, '{"a": 1}');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^json2xml: [^\n]+\nTry 'json2xml --help'\.\n$/u);
  });

  it('a misspelt long option: the flag it was likely meant to be', async () => {
    expect((await json2xml(['--roots', 'r'], '{"a": 1}')).stderr).toMatch(/^json2xml: unknown option --roots \(did you mean --root\?\)\n/u);
    expect((await json2xml(['--prety'], '{"a": 1}')).stderr).toMatch(/^json2xml: unknown option --prety \(did you mean --pretty\?\)\n/u);
  });

  it('no FILE while stdin is a terminal: says so rather than wait', async () => {
    const { stdout } = await inTerminal('json2xml; echo "exit $?"');
    expect(stdout).toMatch(/^json2xml: no FILE, and stdin is a terminal.*\r?\nTry 'json2xml --help'\.\r?\nexit 2\r?\n$/u);
  });
});
