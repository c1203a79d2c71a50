// --where: FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD; dotted paths and attributes; --count.
// Counts on samples/buses.xml checked with Python's xml.etree (findall/findtext), not with our code.
import { describe, expect, it } from 'vitest';
import { type Where, records } from '../../src/index.js';
import { runBin } from '../helpers/run-bin.js';

const count = async (...where: string[]): Promise<string> => {
  const { code, stdout, stderr } = await runBin(['samples/buses.xml', '-e', 'bus', ...where.flatMap((w) => ['-w', w]), '--count']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
};

describe('xml2json --where on the bus sample', () => {
  it('FIELD=VALUE, FIELD!=VALUE, and all must hold', async () => {
    expect(await count('route=22')).toBe('20\n');
    expect(await count('route!=22', 'revenue=true')).toBe('269\n');
  });

  it('FIELD~REGEX matches anywhere in the text unless anchored', async () => {
    expect(await count('finalStop~^Navy Pier')).toBe('40\n');
    expect(await count('finalStop~Navy Pier & (Harbor|Archer)')).toBe('9\n');
  });

  it('FIELD alone: the record has it; none has a <nothing>', async () => {
    expect(await count('finalStop')).toBe('300\n');
    expect(await count('nothing')).toBe('0\n');
  });
});

const STOPS = '<stops>' +
  '<stop id="1"><name>Clark</name><route dir="N">22</route></stop>' +
  '<stop id="2"><name>State</name><next><name>Lake</name></next><route>36</route><route>22</route></stop>' +
  '<stop id="3"><name/></stop>' +
  '</stops>';
const ids = async (...where: string[]): Promise<string> =>
  (await runBin(['-e', 'stop', ...where.flatMap((w) => ['-w', w]), '-f', 'csv', '--fields', '@id'], STOPS)).stdout.split('\n').slice(1, -1).join(' ');

describe('xml2json --where on attributes, paths, repeats', () => {
  it('@attribute', async () => {
    expect(await ids('@id=2')).toBe('2');
    expect(await ids('@id!=2')).toBe('1 3');
  });

  it('a dotted path, and a path that exists', async () => {
    expect(await ids('next.name=Lake')).toBe('2');
    expect(await ids('next.name')).toBe('2');
  });

  it('an element with attributes compares by its text; a repeated element holds if any one does', async () => {
    expect(await ids('route=22')).toBe('1 2');
    expect(await ids('route.@dir=N')).toBe('1');
    expect(await ids('route!=22')).toBe('3');
  });

  it('compares by the text key the JSON uses (--text-key), and sees what --coerce made a number as its text', async () => {
    const xml = '<r><stop id="1"><route dir="N">22</route></stop><stop id="2"><route>36</route></stop></r>';
    const { stdout } = await runBin(['-e', 'stop', '--text-key', 'value', '--coerce', '-w', 'route=22', '-f', 'ndjson', '--fields', '@id,route'], xml);
    expect(stdout).toBe('{"@id":1,"route":{"@dir":"N","value":22}}\n');
  });

  it('an empty element exists and equals the empty string', async () => {
    expect(await ids('name=')).toBe('3');
    expect(await ids('name', 'name!=')).toBe('1 2');
  });
});

describe('xml2json --where that cannot be understood: exit 2, saying what is wrong', () => {
  it.each([
    ['=22', '--where "=22": no FIELD before "="'],
    ['!=22', '--where "!=22": no FIELD before "!="'],
    ['stop..name=x', '--where "stop..name=x": "stop..name" has an empty step'],
    ['route =22', '--where "route =22": "route " is not an element name, @attribute or #text; expected FIELD, FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX'],
    ['Amt>5', '--where "Amt>5": "Amt>5" is not an element name, @attribute or #text; expected FIELD, FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX'],
    ['name~(', '--where "name~(": bad regular expression: /(/u: Unterminated group'],
  ])('%s', async (expression, message) => {
    const { code, stdout, stderr } = await runBin(['-e', 'x', '-w', expression], '<r/>');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toContain(`xml2json: ${message}`);
  });
});

// One where-language: each -w expression and its library object form keep the same items (titles by hand).
const FEED = '<rss><channel>' +
  '<item><title>one</title><guid isPermaLink="false">id-1</guid><category>AI</category><category>Go</category><enclosure url="a.mp3" type="audio/mpeg"/></item>' +
  '<item><title>two</title><guid>3</guid><category>Go</category><enclosure url="b.ogg" type="audio/ogg"/></item>' +
  '<item><title>three</title><guid>4</guid></item>' +
  '</channel></rss>';

describe('-w and the library\'s where mean the same', () => {
  it.each<[string, Where, string[]]>([
    ['enclosure.@type=audio/mpeg', { 'enclosure.@type': 'audio/mpeg' }, ['one']],
    ['guid=id-1', { guid: 'id-1' }, ['one']],
    ['guid=3', { guid: 3 }, ['two']],
    ['guid.#text=3', { 'guid.#text': '3' }, ['two']],
    ['guid.@isPermaLink=false', { 'guid.@isPermaLink': false }, ['one']],
    ['category=AI', { category: 'AI' }, ['one']],
    ['category=Go', { category: 'Go' }, ['one', 'two']],
    ['title~^t', { title: /^t/ }, ['two', 'three']],
  ])('-w %s', async (expression, where, titles) => {
    const cli = await runBin(['-e', 'item', '-w', expression, '-f', 'ndjson', '--fields', 'title'], FEED);
    expect(cli.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { title: string }).title)).toEqual(titles);
    const library: string[] = [];
    for await (const item of records([FEED], { element: 'item', where })) library.push((item as { title: string }).title);
    expect(library).toEqual(titles);
  });
});
