// convert(): a document in memory (text or bytes) → its JSON value, with xmltodict's convention.
import assert from 'node:assert/strict';
import { convert } from 'cosax';

const xml = `<library name="city">
  <book id="1"><title>Dune</title><tag>sf</tag><tag>classic</tag></book>
  <book id="2"><title>Emma</title><note/></book>
</library>`;

assert.deepEqual(convert(xml), {
  library: {
    '@name': 'city',
    book: [
      { '@id': '1', title: 'Dune', tag: ['sf', 'classic'] },
      { '@id': '2', title: 'Emma', note: null },
    ],
  },
});

// Options change the convention: here attributes get no prefix.
assert.deepEqual(convert('<p lang="en">Hello</p>', { attrPrefix: '' }), { p: { lang: 'en', '#text': 'Hello' } });
