// Depth, text and record size are bounded: exceeding one is an XML_LIMIT error, never a crash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits.js';
import { runBin } from '../helpers/run-bin.js';
import { convert } from './convert.js';

const deep = (n: number) => '<r>'.repeat(n) + 'x' + '</r>'.repeat(n);

describe('nesting depth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cosax-deep-'));
  const file = join(dir, 'deep.xml');
  writeFileSync(file, deep(100_000));

  it('a document deeper than the default is a clean error, in the library and through the CLI', async () => {
    expect(convert(deep(200_000)).error).toEqual({ code: 'XML_LIMIT', reason: 'elements nested deeper than 2000 (maxDepth)', message: '1:6001: elements nested deeper than 2000 (maxDepth)' }); // at the 2001st <r>
    expect(await runBin([file])).toEqual({ code: 1, stdout: '', stderr: `xml2json: ${file}:1:6001: elements nested deeper than 2000 (--max-depth)\n` });
  });

  it('a document 100,000 elements deep converts with --max-depth 200000, as JSON and as NDJSON: nothing recurses', async () => {
    const expected = '{"r":'.repeat(100_000) + '"x"' + '}'.repeat(100_000) + '\n';
    expect(await runBin([file, '--max-depth', '200000'])).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(await runBin([file, '--max-depth', '200000', '-f', 'ndjson'])).toEqual({ code: 0, stdout: expected, stderr: '' });
    const records = await runBin([file, '--max-depth', '200000', '-e', 'r', '-f', 'json']);
    expect(records).toEqual({ code: 0, stdout: `[\n${expected.slice('{"r":'.length, -'}\n'.length)}\n]\n`, stderr: '' });
  });

  it('a 2,000-deep document converts with the default options, to what xmltodict makes of it', async () => {
    // Each level has an attribute, an empty child of the same name (so an array) and text: JSON twice as deep.
    const xml = '<a n="1"><a/>t'.repeat(1999) + '<a n="x"/>' + '</a>'.repeat(1999);
    const python = spawnSync('/usr/bin/python3', ['-c', 'import json, sys, xmltodict; sys.setrecursionlimit(100000); print(json.dumps(xmltodict.parse(sys.stdin.read()), separators=(",", ":")))'], { input: xml, encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(python.stderr).toBe('');
    expect(await runBin([], xml)).toEqual({ code: 0, stdout: python.stdout, stderr: '' });
  });

  it('the default depth converts, and the limit can be lowered or raised', () => {
    expect(convert(deep(DEFAULT_LIMITS.maxDepth)).error).toBeUndefined();
    expect(convert(deep(DEFAULT_LIMITS.maxDepth + 1)).error?.code).toBe('XML_LIMIT');
    expect(convert(deep(4), {}, { maxDepth: 3 }).error?.reason).toBe('elements nested deeper than 3 (maxDepth)');
    expect(convert(deep(5000), {}, { maxDepth: 5000 }).out).toMatch(/^(\{"r":){5000}"x"\}{5000}\n$/);
  });
});

describe('text length and record size', () => {
  it('text longer than --max-text is an error, whether in one piece or many', () => {
    expect(convert(`<r>${'x'.repeat(101)}</r>`, {}, { maxText: 100 }).error).toMatchObject({ code: 'XML_LIMIT', reason: 'text longer than 100 characters (maxText)' });
    expect(convert(['<r>', ...Array(11).fill('x'.repeat(10)), '</r>'], {}, { maxText: 100 }).error?.code).toBe('XML_LIMIT');
    expect(convert(`<r>${'x'.repeat(100)}</r>`, {}, { maxText: 100 }).error).toBeUndefined();
  });

  it('a text limit fault is at the first character beyond the limit, also when the text came in pieces and over lines', () => {
    const at = (xml: string | string[], maxText: number) => convert(xml, {}, { maxText }).error?.message;
    expect(at(`<r><a>${'y'.repeat(20)}</a></r>`, 15)).toBe('1:22: text longer than 15 characters (maxText)'); // the 16th y: column 7 + 15
    expect(at('<r>\n<a>\nabc\ndefgh</a></r>', 8)).toBe('4:4: text longer than 8 characters (maxText)'); // \n a b c \n d e f, then g
    expect(at(['<r><a>abcdef', 'ghijkl', 'mnop</a></r>'], 13)).toBe('1:20: text longer than 13 characters (maxText)'); // the n
  });

  it('a name longer than --max-text is an XML_LIMIT fault at its first character: element, attribute, PI target, reference', () => {
    const long = 'n'.repeat(11);
    const limited = (xml: string) => convert(xml, {}, { maxText: 10 }).error;
    const fault = (message: string) => ({ code: 'XML_LIMIT', reason: 'a name longer than 10 characters (maxText)', message: `${message}: a name longer than 10 characters (maxText)` });
    expect(limited(`<r>\n <${long}/></r>`)).toEqual(fault('2:3'));
    expect(limited(`<${long}/>`)).toEqual(fault('1:2'));
    expect(limited(`<r ${long}="1"/>`)).toEqual(fault('1:4'));
    expect(limited(`<r><?${long} body?></r>`)).toEqual(fault('1:6'));
    expect(limited(`<r>&${long};</r>`)).toEqual(fault('1:5'));
    expect(limited(`<r><${'n'.repeat(10)} ${'m'.repeat(10)}="1"/></r>`)).toBeUndefined(); // 10 is within
  });

  it('an attribute value longer than --max-text is a fault at its opening quote', () => {
    expect(convert('<r>\n <a b="12345678901"/></r>', {}, { maxText: 10 }).error).toEqual({ code: 'XML_LIMIT', reason: 'an attribute value longer than 10 characters (maxText)', message: '2:7: an attribute value longer than 10 characters (maxText)' });
  });

  it('a DOCTYPE that never ends is held no longer than 1 Mi characters, or --max-text if lower', () => {
    const endless = ['<!DOCTYPE r [', ...Array(100).fill('<!-- padding padding -->')];
    expect(convert(endless, {}, { maxText: 1000 }).error).toMatchObject({ code: 'XML_LIMIT', reason: 'the prolog (XML declaration and DOCTYPE) is longer than 1000 characters' });
    const huge = ['<!DOCTYPE r [', ...Array(50_000).fill('<!-- padding padding -->')];
    expect(convert(huge).error).toMatchObject({ code: 'XML_LIMIT', reason: 'the prolog (XML declaration and DOCTYPE) is longer than 1048576 characters' });
    // ended, in one piece or in the last of several: measured whole ('<!DOCTYPE r [<!-- ' 18, ' -->]>' 6)
    const doctype = (n: number) => `<!DOCTYPE r [<!-- ${'x'.repeat(n - 24)} -->]><r/>`; // its DOCTYPE n characters long
    expect(convert(doctype(1000), {}, { maxText: 1000 }).error).toBeUndefined();
    expect(convert(doctype(1001), {}, { maxText: 1000 }).error).toMatchObject({ code: 'XML_LIMIT', message: '1:1: the prolog (XML declaration and DOCTYPE) is longer than 1000 characters' });
    expect(convert([doctype(1001).slice(0, 600), doctype(1001).slice(600)], {}, { maxText: 1000 }).error?.code).toBe('XML_LIMIT');
  });

  it('a long prolog arriving in small pieces is read once, not again at each piece', () => {
    const comments = Array(20_000).fill('<!-- a comment in the prolog -->\n');
    expect(convert([...comments, '<r>x</r>']).out).toBe('{"r":"x"}\n'); // 640 K characters in 20,001 chunks
  });

  it('a record larger than --max-record is an error; the records before it are written', async () => {
    const xml = '<r><b>1</b><b>22</b><b>' + 'x'.repeat(50) + '</b><b>4</b></r>';
    expect(convert(xml, { element: 'b', format: 'ndjson', maxRecord: 20 })).toEqual({
      out: '"1"\n"22"\n',
      error: { code: 'XML_LIMIT', reason: 'a record larger than 20 characters (maxRecord)', message: '1:24: a record larger than 20 characters (maxRecord)' }, // at the text that makes it too large
    });
    expect(await runBin(['-e', 'b', '-f', 'ndjson', '--max-record', '20'], xml)).toEqual({ code: 1, stdout: '"1"\n"22"\n', stderr: 'xml2json: <stdin>:1:24: a record larger than 20 characters (--max-record)\n' });
  });

  it('in one chunk of 1,500 records (4,500 events: the builder gets them in batches), the fault is at the record, after the 1,500 before it', () => {
    const xml = '<r>\n' + '<b>1</b>\n'.repeat(1500) + '<b>' + 'x'.repeat(50) + '</b>\n' + '<b>4</b>\n'.repeat(500) + '</r>';
    expect(convert(xml, { element: 'b', format: 'ndjson', maxRecord: 20 })).toEqual({
      out: '"1"\n'.repeat(1500),
      error: { code: 'XML_LIMIT', reason: 'a record larger than 20 characters (maxRecord)', message: '1502:4: a record larger than 20 characters (maxRecord)' }, // its text, line 1 being <r>
    });
  });

  it('without -e the whole document is the record', () => {
    expect(convert('<r><a>123456</a></r>', {}, {}).out).toBe('{"r":{"a":"123456"}}\n');
    expect(convert('<r><a>123456</a></r>', { maxRecord: 5 }).error?.code).toBe('XML_LIMIT');
  });

  it('the CLI refuses a limit that is not a positive whole number', async () => {
    for (const bad of ['0', '-1', '1.5', 'many']) {
      const ran = await runBin(['--max-text', bad], '<a/>');
      expect(ran).toEqual({ code: 2, stdout: '', stderr: `xml2json: --max-text "${bad}": expected a positive whole number\nTry 'xml2json --help'.\n` });
    }
  });
});
