// Bad input ends in one clean error with its position, after every record completed before it.
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { convert } from './convert.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('bytes invalid in the document\'s encoding', () => {
  it('UTF-8: the error names the line and column of the bad byte, through the CLI', async () => {
    const doc = bytes('<r>\n<b>1</b>\n<b>2', [0xc3, 0x28], '</b></r>');
    expect(await runBin(['-e', 'b', '-f', 'ndjson'], doc)).toEqual({ code: 1, stdout: '"1"\n', stderr: 'xml2json: <stdin>:3:5: bytes not valid utf-8\n' });
  });

  it('US-ASCII as declared: a byte above 0x7F is named', async () => {
    const doc = bytes('<?xml version="1.0" encoding="US-ASCII"?>\n<r>caf', [0xe9], '</r>');
    expect(await runBin([], doc)).toEqual({ code: 1, stdout: '', stderr: 'xml2json: <stdin>:2:7: byte 0xE9 is not valid US-ASCII\n' });
  });

  it('a bad byte inside the DOCTYPE is placed too', async () => {
    const doc = bytes('<!DOCTYPE r [\n<!-- ', [0xff], ' -->]><r/>');
    expect(await runBin([], doc)).toEqual({ code: 1, stdout: '', stderr: 'xml2json: <stdin>:2:6: bytes not valid utf-8\n' });
  });

  it('an encoding we cannot decode is named, at its name', async () => {
    expect(await runBin([], '<?xml version="1.0" encoding="EBCDIC-US"?><r/>')).toEqual({ code: 1, stdout: '', stderr: 'xml2json: <stdin>:1:31: unsupported encoding "EBCDIC-US" in the XML declaration\n' });
  });
});

describe('nothing lost: records completed before a fault are written before the error', () => {
  const broken = '<feed>\n<bus><id>1</id></bus>\n<bus><id>2</id></bus>\n<bus><id>3</bus>\n</feed>';

  it('ndjson', async () => {
    expect(await runBin(['-e', 'bus', '-f', 'ndjson'], broken)).toEqual({ code: 1, stdout: '{"id":"1"}\n{"id":"2"}\n', stderr: 'xml2json: <stdin>:4:13: the end tag </bus> does not match <id>\n' });
  });

  it('csv', async () => {
    expect(await runBin(['-e', 'bus', '-f', 'csv'], broken)).toEqual({ code: 1, stdout: 'id\n1\n2\n', stderr: 'xml2json: <stdin>:4:13: the end tag </bus> does not match <id>\n' });
  });

  it('json: the array is closed, holding the records before the fault; then the error', async () => {
    const ran = await runBin(['-e', 'bus'], broken);
    expect(ran).toEqual({ code: 1, stdout: '[\n{"id":"1"},\n{"id":"2"}\n]\n', stderr: 'xml2json: <stdin>:4:13: the end tag </bus> does not match <id>\n' });
    expect(JSON.parse(ran.stdout)).toEqual([{ id: '1' }, { id: '2' }]);
  });

  it('a repeated attribute also comes after the records, placed at its second name', () => {
    expect(convert('<r><b>1</b><b x="1" x="2">2</b></r>', { element: 'b', format: 'ndjson' })).toEqual({
      out: '"1"\n',
      error: { code: 'XML_SYNTAX', reason: 'attribute "x" appears twice in a start tag', message: '1:21: attribute "x" appears twice in a start tag' },
    });
  });
});
