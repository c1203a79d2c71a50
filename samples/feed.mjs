// XML that arrives in pieces (a socket, a queue): feed() is a push parser in front of any chain.
import assert from 'node:assert/strict';
import { PARSERS, buildElements, emitJsonLines, feed, parseSync, pipeline, recordSelector } from 'cosax';

const lines = [];
const parser = feed(buildElements(recordSelector('/feed/entry'), {}, emitJsonLines((line) => lines.push(line))), { file: 'socket' });
parser.write('<feed><entry>one</en'); // a piece may end anywhere, even inside a tag or a character
parser.write('try><entry lang="en"><b>two</b></entry>');
assert.deepEqual(lines, ['"one"\n', '{"@lang":"en","b":"two"}\n']); // each record as soon as its end tag is read
parser.write('</feed>');
parser.end(); // checks that the document is complete, and closes the chain

// parseSync(): chunks already in memory, through any chain — here the command line's own, pipeline().
let csv = '';
const bytes = new TextEncoder().encode('<buses><bus><id>1</id><route>22</route></bus><bus><id>2</id><route>8</route></bus></buses>');
parseSync([bytes], pipeline({ element: 'bus', format: 'csv', fields: ['id', 'route'] }, (text) => (csv += text)));
assert.equal(csv, 'id,route\n1,22\n2,8\n');

// Two tokenizers, the same events and output on well-formed XML: PARSERS names them, `parser` picks
// one — our own (cosax, the default) or the npm sax package, the course's xml.sax.
assert.deepEqual(Object.keys(PARSERS), ['cosax', 'sax']);
let course = '';
parseSync([bytes], pipeline({ element: 'bus', format: 'csv', fields: ['id', 'route'] }, (text) => (course += text)), { parser: 'sax' });
assert.equal(course, csv);
