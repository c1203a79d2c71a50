// toXml(): a JSON value → its XML, as Python's xmltodict.unparse() writes it; convert() reads it back.
import assert from 'node:assert/strict';
import { ToXmlError, convert, toXml } from 'cosax';

const stop = { stop: { '@id': '7', name: 'Clark & Lake', route: ['22', '36'], closed: null } };
const xml = toXml(stop);
assert.equal(xml, '<?xml version="1.0" encoding="utf-8"?>\n<stop id="7"><name>Clark &amp; Lake</name><route>22</route><route>36</route><closed></closed></stop>');
assert.deepEqual(convert(xml), stop); // and back again

// pretty: an element a line (indent: 2 spaces a level; a tab by default); fullDocument: false, no declaration.
assert.equal(toXml({ a: { b: '1', c: '2' } }, { pretty: true, indent: 2, fullDocument: false }), '<a>\n  <b>1</b>\n  <c>2</c>\n</a>');

// With a root, the value is the records, each written as the item.
assert.equal(toXml([{ id: '1' }, { id: '2' }], { root: 'stops', item: 'stop', fullDocument: false }), '<stops><stop><id>1</id></stop><stop><id>2</id></stop></stops>');

// Where the XML would not be well-formed, a ToXmlError names the JSON path.
assert.throws(() => toXml({ feed: { entry: [{ id: '1' }, { 'bad name': '2' }] } }), (error) => {
  assert.ok(error instanceof ToXmlError);
  assert.deepEqual([error.code, error.path], ['XML_NAME', '$.feed.entry[1]["bad name"]']);
  return true;
});
