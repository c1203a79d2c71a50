// Formats: json, ndjson, csv (RFC 4180 by csv-stringify), --fields, --pretty [N].
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';

const STOPS = '<stops><stop id="1"><name>Clark</name><next><name>Lake</name></next></stop><stop id="2"><name>State</name></stop></stops>';

describe('xml2json -f csv', () => {
  it('quotes as RFC 4180 says: commas, double quotes doubled, line breaks inside quotes', async () => {
    const xml = '<r><x><a>he said "hi", then left</a><b>two\nlines</b><c>plain</c></x></r>';
    const { code, stdout } = await runBin(['-e', 'x', '-f', 'csv'], xml);
    expect(code).toBe(0);
    expect(stdout).toBe('a,b,c\n"he said ""hi"", then left","two\nlines",plain\n');
  });

  it('writes an object or an array in a cell as JSON, and nothing for a missing field or an empty element', async () => {
    const xml = '<r><x><a><b>1</b></a><c>1</c><c>2</c><e/></x></r>';
    const { stdout } = await runBin(['-e', 'x', '-f', 'csv', '--fields', 'a,c,e,missing'], xml);
    expect(stdout).toBe('a,c,e,missing\n"{""b"":""1""}","[""1"",""2""]",,\n');
  });

  it('takes --fields as the header row and the columns, attributes and dotted paths included', async () => {
    const { stdout } = await runBin(['-e', 'stop', '-f', 'csv', '--fields', '@id,next.name,name'], STOPS);
    expect(stdout).toBe('@id,next.name,name\n1,Lake,Clark\n2,,State\n');
  });

  // xmltodict writes <x>2</x> as "2" and <x a="1">2</x> as {"@a": "1", "#text": "2"}: the text is the same column
  it('puts the text of a record that is only text in the #text column, also when the first record has attributes', async () => {
    const mixed = await runBin(['-e', 'x', '-f', 'csv'], '<r><x a="1">1</x><x>2</x><x/></r>');
    expect(mixed.stdout).toBe('@a,#text\n1,1\n,2\n,\n');
    const textFirst = await runBin(['-e', 'id', '-f', 'csv'], '<bus><id>8747</id><id>7136</id></bus>');
    expect(textFirst.stdout).toBe('#text\n8747\n7136\n');
    const ownKey = await runBin(['-e', 'x', '-f', 'csv', '--text-key', 'v', '--fields', '@a,v'], '<r><x>1</x><x a="2">3</x></r>');
    expect(ownKey.stdout).toBe('@a,v\n,1\n2,3\n');
  });
});

describe('xml2json --fields with json and ndjson', () => {
  it('finds the #text field of a record that is only text, and of one with attributes alike', async () => {
    const { stdout } = await runBin(['-e', 'x', '-f', 'ndjson', '--fields', '#text,@a'], '<r><x>1</x><x a="2">3</x><x/></r>');
    expect(stdout).toBe('{"#text":"1","@a":null}\n{"#text":"3","@a":"2"}\n{"#text":null,"@a":null}\n');
  });

  it('cuts each record down to the fields, in their order, null where a record has none', async () => {
    const ndjson = await runBin(['-e', 'stop', '-f', 'ndjson', '--fields', 'name,@id,next.name'], STOPS);
    expect(ndjson.stdout).toBe('{"name":"Clark","@id":"1","next.name":"Lake"}\n{"name":"State","@id":"2","next.name":null}\n');
    const json = await runBin(['-e', 'stop', '--fields', '@id'], STOPS);
    expect(JSON.parse(json.stdout)).toEqual([{ '@id': '1' }, { '@id': '2' }]);
  });

  it('takes a #text step as the text of an element with attributes and of one without alike', async () => {
    const xml = '<rss><item><guid isPermaLink="false">id-1</guid></item><item><guid>3</guid></item><item><guid/></item></rss>';
    const { stdout } = await runBin(['-e', 'item', '-f', 'csv', '--fields', 'guid.#text'], xml);
    expect(stdout).toBe('guid.#text\nid-1\n3\n\n');
  });

  it('gathers a path through a repeated element into an array', async () => {
    const xml = '<r><trip><stop><name>A</name></stop><stop><name>B</name></stop></trip></r>';
    const { stdout } = await runBin(['-e', 'trip', '-f', 'ndjson', '--fields', 'stop.name'], xml);
    expect(stdout).toBe('{"stop.name":["A","B"]}\n');
  });
});

describe('xml2json --pretty [N]', () => {
  it('indents by 2, or by N', async () => {
    expect((await runBin(['--pretty'], '<a><b>1</b></a>')).stdout).toBe('{\n  "a": {\n    "b": "1"\n  }\n}\n');
    expect((await runBin(['--pretty', '4'], '<a><b>1</b></a>')).stdout).toBe('{\n    "a": {\n        "b": "1"\n    }\n}\n');
  });

  it('indents each record of a JSON array', async () => {
    expect((await runBin(['-e', 'b', '--pretty'], '<a><b>1</b><b><c>2</c></b></a>')).stdout).toBe('[\n  "1",\n  {\n    "c": "2"\n  }\n]\n');
  });

  it('does not take a FILE that follows for its N', async () => {
    const { code, stdout } = await runBin(['--pretty', 'samples/buses.xml', '-e', 'bus', '-w', 'id=8747', '--fields', 'id']);
    expect(code).toBe(0);
    expect(stdout).toBe('[\n  {\n    "id": "8747"\n  }\n]\n');
  });

  it('N must be 0 to 10: a usage error otherwise', async () => {
    for (const pretty of ['--pretty=11', '--pretty=-1', '--pretty=x']) {
      const { code, stderr } = await runBin([pretty], '<a/>');
      expect(code).toBe(2);
      expect(stderr).toMatch(/^xml2json: --pretty "[^"]*": expected a number of spaces from 0 to 10\n/);
    }
  });
});

// OpenStreetMap's shape: nodes, ways and relations side by side (expected JSON by hand, from xmltodict's rules).
const OSM = '<osm><node id="1"/><way id="2"><nd ref="1"/></way><node id="3"><tag k="a" v="b"/></node><relation id="4"/></osm>';

describe('xml2json -e NAME -e NAME: the records of each element, in document order', () => {
  it('one pass, in document order; --tag says which element each record is', async () => {
    const plain = await runBin(['-e', 'node', '-e', 'way', '-f', 'ndjson'], OSM);
    expect(plain).toEqual({ code: 0, stderr: '', stdout: '{"@id":"1"}\n{"@id":"2","nd":{"@ref":"1"}}\n{"@id":"3","tag":{"@k":"a","@v":"b"}}\n' });
    const tagged = await runBin(['-e', 'node', '-e', '/osm/way', '--tag', '-f', 'ndjson'], OSM);
    expect(tagged.stdout).toBe('{"node":{"@id":"1"}}\n{"way":{"@id":"2","nd":{"@ref":"1"}}}\n{"node":{"@id":"3","tag":{"@k":"a","@v":"b"}}}\n');
  });

  it('an element inside a record is part of it, whatever -e names it', async () => {
    const { stdout } = await runBin(['-e', 'node', '-e', 'tag', '-f', 'ndjson', '--fields', '@id'], OSM);
    expect(stdout).toBe('{"@id":"1"}\n{"@id":"3"}\n');
  });

  it('with --tag, -w and --fields see the record as {"NAME": …}', async () => {
    const { stdout } = await runBin(['-e', 'node', '-e', 'way', '--tag', '-w', 'way.@id', '-f', 'csv', '--fields', 'way.@id,way.nd.@ref'], OSM);
    expect(stdout).toBe('way.@id,way.nd.@ref\n2,1\n');
  });

  it('--tag without -e is bad usage', async () => {
    expect((await runBin(['--tag'], OSM)).code).toBe(2);
  });
});

describe('xml2json -f csv: columns lose nothing', () => {
  it('a field first seen in a later record: exit 1 naming it and the record, after the rows before it', async () => {
    const { code, stdout, stderr } = await runBin(['-e', 'x', '-f', 'csv'], '<r><x><a>1</a></x><x><a>2</a><b>new</b></x></r>');
    expect(code).toBe(1);
    expect(stdout).toBe('a\n1\n');
    expect(stderr).toBe('xml2json: <stdin>: record 2 has a field "b" that the CSV columns (the first record\'s: a) do not; name every column with --fields a,b\n');
  });

  it('every bus of the sample, read back by csv-parse, is the NDJSON record', async () => {
    const csv = await runBin(['samples/buses.xml', '-e', 'bus', '-f', 'csv']);
    const ndjson = await runBin(['samples/buses.xml', '-e', 'bus', '-f', 'ndjson']);
    const records = ndjson.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(parse(csv.stdout, { columns: true })).toEqual(records);
  });
});

describe('xml2json: format combinations that cannot mean anything are bad usage', () => {
  it.each([
    [['-e', 'x', '-f', 'ndjson', '--pretty'], /^xml2json: --pretty indents JSON, and -f ndjson is a record a line: use -f json --pretty\n/u],
    [['-e', 'x', '-f', 'csv', '--pretty', '4'], /^xml2json: --pretty indents JSON, and -f csv is not JSON/u],
    [['-f', 'csv'], /^xml2json: -f csv writes a row a record: it needs -e NAME/u],
    [['-e', 'x', '--count', '-f', 'csv'], /^xml2json: --count prints only the number of records, which --format does not change/u],
    [['-e', 'x', '--count', '--fields', 'a'], /^xml2json: --count prints only the number of records, which --fields does not change/u],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runBin(args, '<r><x><a>1</a></x></r>');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
  });
});
