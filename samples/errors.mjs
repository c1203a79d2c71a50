// XmlSyntaxError: the one error of every entry point, with code, line, column and file.
import assert from 'node:assert/strict';
import { CsvColumnsError, XmlSyntaxError, convert, emitCsv, records, send } from 'cosax';

assert.throws(() => convert('<a>\n  <b></a>', { file: 'doc.xml' }), (error) => {
  assert.ok(error instanceof XmlSyntaxError);
  assert.equal(error.message, 'doc.xml:2:8: the end tag </a> does not match <b>');
  assert.deepEqual([error.code, error.file, error.line, error.column], ['XML_SYNTAX', 'doc.xml', 2, 8]);
  return true;
});

// records() hands over every record completed before the fault, then rejects.
const chunks = ['<r>\n<x><v>1</v></x>\n', '<x><v>2</oops></x></r>']; // a source can be any iterable of chunks
const seen = [];
await assert.rejects(async () => {
  for await (const record of records(chunks, { element: 'x' })) seen.push(record);
}, { name: 'XmlSyntaxError', code: 'XML_SYNTAX', line: 3, column: 10 });
assert.deepEqual(seen, [{ v: '1' }]);

// Bytes that are not valid in the document's encoding are an XmlSyntaxError too, coded XML_ENCODING.
assert.throws(() => convert(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e])), { code: 'XML_ENCODING' });

// CSV's columns are the first record's (or the fields given): a field first seen later is an error, never dropped.
let csv = '';
const rows = emitCsv(undefined, (text) => (csv += text));
send(rows, { a: '1' });
assert.throws(() => send(rows, { a: '2', b: 'new' }), (error) => error instanceof CsvColumnsError && error.field === 'b' && error.record === 2);
assert.equal(csv, 'a\n1\n');
