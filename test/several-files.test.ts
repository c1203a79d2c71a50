// Several FILEs (issue 17, item 6): --keep-going converts the others after one fails; --with-file says
// which FILE each record came from, where no element name can collide. Expectations written by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratch } from './cli/shell.js';
import { runBin } from './helpers/run-bin.js';

let dir: string;
let good: string;
let bad: string;
let missing: string;
let more: string;

beforeAll(() => {
  dir = scratch();
  good = join(dir, 'good.xml');
  bad = join(dir, 'bad.xml');
  missing = join(dir, 'missing.xml');
  more = join(dir, 'more.xml');
  writeFileSync(good, '<r><a>1</a><a>2</a></r>');
  writeFileSync(bad, '<r><a>3</a>\n<a>4</b></r>'); // the fault at 2:7, after one record
  writeFileSync(more, '<r><a x="1">5</a></r>');
});

const faults = () => [`xml2json: ${missing}: no such file`, `xml2json: ${bad}:2:7: the end tag </b> does not match <a>`, 'xml2json: 2 of 4 FILEs failed (--keep-going)', ''];

describe('--keep-going', () => {
  it.each([
    ['NDJSON', ['-f', 'ndjson'], '"1"\n"2"\n"3"\n{"@x":"1","#text":"5"}\n'],
    ['a JSON array', [], '[\n"1",\n"2",\n"3",\n{"@x":"1","#text":"5"}\n]\n'],
    ['a count', ['--count'], '4\n'],
    ['CSV', ['-f', 'csv', '--fields', '#text,@x'], '#text,@x\n1,\n2,\n3,\n5,1\n'],
  ])('%s: the records of every FILE, those before the fault too; each fault a line; exit 1', async (_name, args, stdout) => {
    const ran = await runBin([good, bad, missing, more, '-e', 'a', ...args, '--keep-going']);
    expect(ran).toEqual({ code: 1, stdout, stderr: faults().join('\n') });
  });

  it('a FILE that failed before any record is its fault alone, with no "no <a> element" note (as with -j 2)', async () => {
    const early = join(dir, 'early.xml');
    writeFileSync(early, '<r><b>');
    for (const jobs of ['1', '2']) {
      expect(await runBin([good, early, '-e', 'a', '-f', 'ndjson', '--keep-going', '-j', jobs])).toEqual({
        code: 1,
        stdout: '"1"\n"2"\n',
        stderr: `xml2json: ${early}:1:7: the document ends inside <b>: its end tag is missing\nxml2json: 1 of 2 FILEs failed (--keep-going)\n`,
      });
    }
  });

  it('whole documents: the ones that convert, in one array', async () => {
    const ran = await runBin([good, bad, more, '--keep-going']);
    expect(ran.stdout).toBe('[\n{"r":{"a":["1","2"]}},\n{"r":{"a":{"@x":"1","#text":"5"}}}\n]\n');
    expect(ran.code).toBe(1);
  });

  it('-o FILE is put in place with what converted', async () => {
    const out = join(dir, 'out.ndjson');
    const ran = await runBin([good, bad, missing, more, '-e', 'a', '-f', 'ndjson', '--keep-going', '-o', out]);
    expect(ran).toEqual({ code: 1, stdout: '', stderr: faults().join('\n') });
    expect(readFileSync(out, 'utf8')).toBe('"1"\n"2"\n"3"\n{"@x":"1","#text":"5"}\n');
  });

  it('without it, the first fault ends the run as before (a missing FILE: nothing written)', async () => {
    expect(await runBin([good, bad, more, '-e', 'a', '-f', 'ndjson'])).toEqual({ code: 1, stdout: '"1"\n"2"\n"3"\n', stderr: `xml2json: ${bad}:2:7: the end tag </b> does not match <a>\n` });
    const out = join(dir, 'none.ndjson');
    expect((await runBin([good, missing, '-e', 'a', '-f', 'ndjson', '-o', out])).code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('--paths: a FILE that failed leaves no element open for the next one', async () => {
    const ran = await runBin(['--paths', '-f', 'json', good, bad, more, '--keep-going']);
    expect(ran.code).toBe(1);
    expect((JSON.parse(ran.stdout) as { paths: Array<{ path: string }> }).paths.map(({ path }) => path)).toEqual(['/r', '/r/a']);
  });

  it('all FILEs good: exit 0, nothing on stderr', async () => {
    expect(await runBin([good, more, '-e', 'a', '-f', 'ndjson', '--keep-going'])).toEqual({ code: 0, stdout: '"1"\n"2"\n{"@x":"1","#text":"5"}\n', stderr: '' });
  });

  it('with --on-error skip: a skipped record and a failed FILE are both said, exit 1', async () => {
    const dirty = join(dir, 'dirty.xml');
    writeFileSync(dirty, '<r><a>6</a><a>&bad;</a><a>7</a></r>');
    const ran = await runBin([dirty, missing, good, '-e', 'a', '-f', 'ndjson', '--keep-going', '--on-error', 'skip']);
    expect(ran.stdout).toBe('"6"\n"7"\n"1"\n"2"\n');
    expect(ran.stderr.split('\n')).toEqual([
      `xml2json: ${missing}: no such file`, // (every FILE is looked at first)
      `xml2json: ${dirty}:1:15: skipped record 2: undefined entity &bad;`,
      'xml2json: 1 of 3 FILEs failed (--keep-going)',
      'xml2json: skipped 1 record',
      '',
    ]);
    expect(ran.code).toBe(1);
  });
});

describe('--with-file', () => {
  // elements named file and record: no collision with the wrapper
  const named = () => join(dir, 'named.xml');
  beforeAll(() => writeFileSync(named(), '<r><a id="9"><file>f</file><record>x</record></a></r>'));

  it('NDJSON and JSON: {"file": FILE, "record": the record as it is without the flag}', async () => {
    expect((await runBin([good, named(), '-e', 'a', '-f', 'ndjson', '--with-file'])).stdout).toBe(
      `{"file":"${good}","record":"1"}\n{"file":"${good}","record":"2"}\n{"file":"${named()}","record":{"@id":"9","file":"f","record":"x"}}\n`,
    );
    expect(JSON.parse((await runBin([good, '-e', 'a', '--tag', '--with-file'])).stdout)).toEqual([{ file: good, record: { a: '1' } }, { file: good, record: { a: '2' } }]);
    expect((await runBin(['-', '--with-file'], '<r>t</r>')).stdout).toBe('{"file":"<stdin>","record":{"r":"t"}}\n');
  });

  it('CSV: a first column #file, which no field can be named', async () => {
    expect((await runBin([named(), good, '-e', 'a', '-f', 'csv', '--with-file', '--fields', 'file,record,@id'])).stdout).toBe(`#file,file,record,@id\n${named()},f,x,9\n${good},,,\n${good},,,\n`);
    expect((await runBin([named(), '-e', 'a', '-f', 'csv', '--with-file'])).stdout).toBe(`#file,@id,file,record\n${named()},9,f,x\n`);
    const asField = await runBin([named(), '-e', 'a', '-f', 'csv', '--fields', '#file']);
    expect(asField.code).toBe(2);
  });

  it('with --keep-going: the records of a FILE that failed say it too', async () => {
    expect((await runBin([bad, good, '-e', 'a', '-f', 'ndjson', '--with-file', '--keep-going'])).stdout).toBe(`{"file":"${bad}","record":"3"}\n{"file":"${good}","record":"1"}\n{"file":"${good}","record":"2"}\n`);
  });

  it.each([[['--count']], [['--paths']], [['-f', 'csv', '--attr-prefix', '#']], [['-f', 'csv', '--text-key', '#file']]])('bad usage with %j', async (args) => {
    const ran = await runBin([good, ...(args[0] === '--paths' ? [] : ['-e', 'a']), ...args, '--with-file']);
    expect(ran).toMatchObject({ code: 2, stdout: '' });
    expect(ran.stderr).toMatch(/--with-file/u);
  });
});
