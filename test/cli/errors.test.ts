// Exit status 0 / 1 bad input / 2 usage; one line `xml2json: FILE:LINE:COL: what`; a stack only with --debug.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { inTerminal, scratch, sh } from './shell.js';

const BAD = '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x></r>';

describe('xml2json on bad input: exit 1, one line, what came before is written', () => {
  it('NDJSON: the records before the fault, then FILE:LINE:COL (1-based)', async () => {
    const { code, stdout, stderr } = await runBin(['-e', 'x', '-f', 'ndjson'], BAD);
    expect(code).toBe(1);
    expect(stdout).toBe('{"v":"1"}\n');
    expect(stderr).toBe('xml2json: <stdin>:3:10: the end tag </oops> does not match <v>\n');
  });

  it('a JSON array is closed: valid JSON holding the records before the fault', async () => {
    const { code, stdout, stderr } = await runBin(['-e', 'x'], BAD);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([{ v: '1' }]);
    expect(stderr).toBe('xml2json: <stdin>:3:10: the end tag </oops> does not match <v>\n');
  });

  it('names the FILE the fault is in, after the records of the FILEs before it', async () => {
    const dir = scratch();
    const good = join(dir, 'good.xml');
    const bad = join(dir, 'bad.xml');
    writeFileSync(good, '<r><x><v>0</v></x></r>');
    writeFileSync(bad, BAD);
    const { code, stdout, stderr } = await runBin([good, bad, '-e', 'x']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([{ v: '0' }, { v: '1' }]);
    expect(stderr).toBe(`xml2json: ${bad}:3:10: the end tag </oops> does not match <v>\n`);
  });

  it('--count: the number counted before the fault, then the error', async () => {
    const { code, stdout, stderr } = await runBin(['-e', 'x', '--count'], BAD);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '1\n', stderr: 'xml2json: <stdin>:3:10: the end tag </oops> does not match <v>\n' });
  });

  it('gzip cut short is bad input too', async () => {
    const gz = gzipSync(`<r>${'<x>1</x>'.repeat(50)}</r>`);
    const { code, stderr } = await runBin(['-e', 'x'], gz.subarray(0, gz.length - 12));
    expect(code).toBe(1);
    expect(stderr).toBe('xml2json: <stdin>: gzip data cut short\n');
  });

  it('a limit is named by its flag (the library names the option)', async () => {
    const { code, stderr } = await runBin(['-e', 'x', '--max-record', '5'], '<r><x>123456</x></r>');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^xml2json: <stdin>:1:\d+: a record larger than 5 characters \(--max-record\)\n$/u);
  });

  it('no stack trace, unless --debug', async () => {
    expect((await runBin([], BAD)).stderr.split('\n')).toHaveLength(2); // one line and its newline
    const debug = await runBin(['--debug'], BAD);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^xml2json: <stdin>:3:10: the end tag <\/oops> does not match <v>\nXmlSyntaxError: .*\n {4}at /u);
  });
});

describe('xml2json on bad usage: exit 2, one line and a hint', () => {
  it('no FILE while stdin is a terminal: says so rather than wait', async () => {
    const { stdout } = await inTerminal('xml2json; echo "exit $?"');
    expect(stdout).toBe("xml2json: no FILE, and stdin is a terminal (give - to type the XML)\r\nTry 'xml2json --help'.\r\nexit 2\r\n");
  });

  it.each([
    [['--frobnicate'], /^xml2json: unknown option --frobnicate\n/u],
    // a long option an edit or two from a flag's name (a letter dropped, changed, added, two swapped)
    [['--feilds', 'a'], /^xml2json: unknown option --feilds \(did you mean --fields\?\)\n/u],
    [['--elment', 'a'], /^xml2json: unknown option --elment \(did you mean --element\?\)\n/u],
    [['--formst', 'csv'], /^xml2json: unknown option --formst \(did you mean --format\?\)\n/u],
    [['--jbos', '2'], /^xml2json: unknown option --jbos \(did you mean --jobs\?\)\n/u],
    [['--max-dpth', '2'], /^xml2json: unknown option --max-dpth \(did you mean --max-depth\?\)\n/u],
    [['--fs', 'a'], /^xml2json: unknown option --fs\n/u], // too short to guess at
    [['-q'], /^xml2json: unknown option -q\n/u],
    [['-f', 'yaml'], /^xml2json: --format "yaml": expected "json", "ndjson", "csv"\n/u],
    [['-e', '/a//b'], /^xml2json: --element "\/a\/\/b": an empty step; expected a NAME or an absolute \/path\/to\/NAME\n/u],
    [['--fields', 'a,,b'], /^xml2json: --fields "a,,b": the field is empty\n/u],
    [['-e', 'x', '--fields', '@id,b', '--fields', '@id'], /^xml2json: --fields "@id,b,@id": "@id" is given twice/u],
    [['-e'], /^xml2json: --element needs a value \(--element NAME\)\n/u],
    [['-e', ''], /^xml2json: --element "": the element is empty; expected a NAME or an absolute \/path\/to\/NAME\n/u],
    [['-e', '*'], /^xml2json: --element "\*": not an element name; expected a NAME or an absolute \/path\/to\/NAME \(no patterns\)\n/u],
    [['-e', '/osm/*'], /^xml2json: --element "\/osm\/\*": "\*" is not an element name; expected/u],
    [['-e', 'node,way'], /^xml2json: --element "node,way": not an element name; expected a NAME or an absolute \/path\/to\/NAME, one element each time\n/u],
    [['-e', 'channel/item'], /^xml2json: --element "channel\/item": a relative path; expected a NAME or an absolute \/path\/to\/NAME \(\/…\/channel\/item\)\n/u],
    [['-e', '-w', 'x=1'], /^xml2json: --element needs a value, and "-w" is a flag/u],
    [['--count=yes'], /^xml2json: --count takes no value/u],
    [['--max-depth', '1e3'], /^xml2json: --max-depth "1e3": expected a positive whole number\n/u],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runBin(args, '<a/>');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/\nTry 'xml2json --help'.\n$/u);
  });
});

describe('xml2json: a flag that takes one value, given twice, is bad usage (it kept the last silently)', () => {
  it.each([
    [['-o', 'a.json', '-o', 'b.json'], '--output given twice (a.json, b.json); it takes one value'],
    [['--pretty', '3', '--pretty', '1'], '--pretty given twice (3, 1); it takes one value'],
    [['-f', 'csv', '--format', 'json'], '--format given twice (csv, json); it takes one value'],
    [['--max-depth=5', '--max-depth=6'], '--max-depth given twice (5, 6); it takes one value'],
  ])('%j', async (args, message) => {
    const dir = scratch();
    const { code, stdout, stderr } = await sh(`cd ${dir} && xml2json ${args.join(' ')} <<< '<a/>'; ls`);
    expect(code).toBe(0);
    expect(stdout).toBe(''); // and no file written
    expect(stderr).toBe(`xml2json: ${message}\nTry 'xml2json --help'.\n`);
  });

  it('the repeatable ones keep every value: -w, --fields, --array', async () => {
    const { stdout } = await runBin(['-e', 'x', '-w', 'a=1', '-w', 'b=2', '--fields', 'a', '--fields', 'b', '-f', 'csv'], '<r><x><a>1</a><b>2</b></x><x><a>1</a></x></r>');
    expect(stdout).toBe('a,b\n1,2\n');
    expect((await runBin(['--array', 'a', '--array', 'b'], '<r><a>1</a><b>2</b></r>')).stdout).toBe('{"r":{"a":["1"],"b":["2"]}}\n');
  });
});
