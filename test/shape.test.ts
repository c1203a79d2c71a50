// --shape: on generated documents whose records vary (an element once or several times, text alone or
// with attributes, empty), every record has one JSON type at every path, and the values are
// xmltodict's after the documented transformation, with the rules read from xmltodict's own output.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { records } from '../src/api.js';
import { pathsOfInputs, recordChain } from '../src/chain.js';
import { parseSync } from '../src/driver.js';
import { parseShape } from '../src/shape.js';
import type { Json } from '../src/stages/build.js';
import { scratch } from './cli/shell.js';
import { collect } from './helpers/collect.js';
import { runBin } from './helpers/run-bin.js';
import { judge } from './xmltodict/oracle.js';

type JsonObject = { [key: string]: Json };
const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

// ── records that vary ──

const text = fc.constantFrom('x', 'two words', 'é', '&amp;', '1');
const leaf = (name: string) => fc.oneof(
  text.map((t) => `<${name}>${t}</${name}>`),
  text.map((t) => `<${name} lang="en">${t}</${name}>`),
  fc.constant(`<${name}/>`),
  fc.constant(`<${name} href="h"/>`),
);
const times = (arbitrary: fc.Arbitrary<string>, most: number) => fc.array(arbitrary, { maxLength: most }).map((parts) => parts.join(''));
const author = fc.oneof(text.map((t) => `<author>${t}</author>`), fc.tuple(times(leaf('name'), 2), times(leaf('p:mail'), 1)).map(([n, m]) => `<author>${n}${m}</author>`));
const record = fc
  .tuple(times(leaf('title'), 1), times(leaf('tag'), 3), times(author, 2), times(fc.tuple(leaf('k'), times(leaf('v'), 2)).map(([k, v]) => `<kv>${k}${v}</kv>`), 2), fc.boolean(), text)
  .map(([title, tags, authors, kvs, attributed, t]) => (title + tags + authors + kvs === '' ? `<item>${t}</item>` : `<item${attributed ? ' id="1"' : ''}>${title}${tags}${authors}${kvs}</item>`));
const document = fc.tuple(fc.array(record, { minLength: 2, maxLength: 8 }), fc.array(record, { maxLength: 3 })).map(([items, more]) => `<feed>${items.join('\n')}<section>${more.join('')}</section></feed>`);

// ── the documented transformation, on xmltodict's output ──

/** For each element, by its path inside the record (`author/name`): whether it is ever a list, ever an object, in xmltodict's whole document. */
function rulesOf(doc: Json, records: (path: string) => boolean): Map<string, { array: boolean; object: boolean }> {
  const rules = new Map<string, { array: boolean; object: boolean }>();
  const visit = (value: Json, path: string, inRecord: string | undefined): void => {
    const items = Array.isArray(value) ? value : [value];
    const here = inRecord ?? (records(path) ? '' : undefined);
    if (here !== undefined) {
      const rule = rules.get(here) ?? { array: false, object: false };
      if (inRecord !== undefined) rule.array ||= Array.isArray(value); // (a record is one element)
      rule.object ||= items.some(isObject);
      rules.set(here, rule);
    }
    for (const item of items) {
      if (!isObject(item)) continue;
      for (const [key, child] of Object.entries(item)) {
        if (key.startsWith('@') || key === '#text') continue;
        visit(child, `${path}/${key}`, here === undefined ? undefined : here === '' ? key : `${here}/${key}`);
      }
    }
  };
  for (const [key, value] of Object.entries(doc as JsonObject)) visit(value, `/${key}`, undefined);
  return rules;
}

/** README's object half: an element that is ever an object is always one, text alone as {"#text": …}; null stays null. */
function objectsMade(value: Json, path: string, rules: Map<string, { array: boolean; object: boolean }>): Json {
  const rule = rules.get(path) ?? { array: false, object: false };
  const one = (item: Json): Json => {
    const out = rule.object && typeof item === 'string' ? { '#text': item } : item;
    if (!isObject(out)) return out;
    return Object.fromEntries(Object.entries(out).map(([key, child]) => [key, key.startsWith('@') || key === '#text' ? child : objectsMade(child, path === '' ? key : `${path}/${key}`, rules)]));
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** The JSON type at each path of each record; a path is stable when its values other than null are all of one type. */
function unstable(records: Json[]): string[] {
  const types = new Map<string, Set<string>>();
  const visit = (value: Json, path: string): void => {
    if (value === null) return;
    const type = Array.isArray(value) ? 'array' : typeof value;
    types.set(path, (types.get(path) ?? new Set()).add(type));
    if (Array.isArray(value)) value.forEach((item) => visit(item, `${path}[]`));
    else if (isObject(value)) for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`);
  };
  records.forEach((r) => visit(r, ''));
  return [...types].filter(([, set]) => set.size > 1).map(([path, set]) => `${path}: ${[...set].join(' and ')}`);
}

/** --paths -f json of `xml`, then the records with --shape of it. */
function shaped(xml: string, options: { element?: string; tag?: boolean } = {}): Json[] {
  let json = '';
  const inventory = pathsOfInputs({ json: true }, (t) => (json += t));
  parseSync([xml], inventory.next().events);
  inventory.close();
  const out: Json[] = [];
  parseSync([xml], recordChain({ ...options, shape: parseShape(json) }, collect(out)));
  return out;
}

describe('--shape on generated documents whose records vary', () => {
  it('500 documents: one type at every path of every record, and xmltodict values after the transformation', () => {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const docs = fc.sample(document, { numRuns: 500, seed });
    const plain = judge(docs.map((xml) => ({ xml: Buffer.from(xml), select: ['item'] })));
    const rules = plain.map((verdict) => {
      if (!verdict.ok) throw new Error(verdict.error);
      return rulesOf(JSON.parse(verdict.doc) as Json, (path) => path === '/feed/item' || path === '/feed/section/item');
    });
    // The array half is xmltodict's own: force_list with the elements that are ever a list (a name is one path here).
    const forceList = rules.map((rule) => [...rule].filter(([path, r]) => path !== '' && r.array).map(([path]) => path.slice(path.lastIndexOf('/') + 1)));
    const forced = judge(docs.map((xml, i) => ({ xml: Buffer.from(xml), select: ['item'], opts: { forceList: forceList[i]! } })));
    let varied = 0;
    docs.forEach((xml, i) => {
      const verdict = forced[i]!;
      if (!verdict.ok) throw new Error(verdict.error);
      const theirs = JSON.parse(verdict.records.get('item')!) as Json[];
      const ours = shaped(xml, { element: 'item' });
      expect(unstable(ours), `seed ${seed} #${i} ${xml}`).toEqual([]);
      expect(ours, `seed ${seed} #${i} ${xml}`).toEqual(theirs.map((r) => objectsMade(r, '', rules[i]!)));
      if (unstable(JSON.parse((plain[i] as { records: Map<string, string> }).records.get('item')!) as Json[]).length > 0) varied++;
    });
    expect(varied).toBeGreaterThan(250); // most documents would break a schema without it
  });

  it('whole documents and --tag records are shaped too', () => {
    const xml = '<feed><item><tag>a</tag></item><item><tag>b</tag><tag lang="en">c</tag></item></feed>';
    expect(shaped(xml)).toEqual([{ feed: { item: [{ tag: [{ '#text': 'a' }] }, { tag: [{ '#text': 'b' }, { '@lang': 'en', '#text': 'c' }] }] } }]);
    expect(shaped(xml, { element: 'item', tag: true })).toEqual([{ item: { tag: [{ '#text': 'a' }] } }, { item: { tag: [{ '#text': 'b' }, { '@lang': 'en', '#text': 'c' }] } }]);
  });
});

describe('a hand-written shape', () => {
  it('lines of /path or NAME, then array and/or object; # comments', () => {
    const shape = parseShape('# by hand\n/feed/item/tag array\n\ncategory  array object  # any category\n');
    const out: Json[] = [];
    parseSync(['<feed><item><tag>a</tag><x><category>c</category></x></item></feed>'], recordChain({ element: 'item', shape }, collect(out)));
    expect(out).toEqual([{ tag: ['a'], x: { category: [{ '#text': 'c' }] } }]);
  });

  it('a line it cannot read is an error naming the line', () => {
    expect(() => parseShape('/a array\n/b arrays\n')).toThrow('line 2: expected a /path or NAME, then array and/or object, not "arrays"');
    expect(() => parseShape('{"paths": 3}')).toThrow(/no "paths" list/u);
    expect(() => parseShape('{"paths": [{"path": "a"}]}')).toThrow(/paths\[0\]/u);
  });
});

describe("records()'s shape", () => {
  it('takes the hand-written list, or what --paths -f json wrote, as text or parsed', async () => {
    const xml = ['<feed><item><tag>a</tag></item><item><tag>b</tag><tag lang="en">c</tag></item></feed>'];
    const all = async (shape: unknown): Promise<unknown[]> => {
      const out: unknown[] = [];
      for await (const record of records(xml, { element: 'item', shape: shape as string })) out.push(record);
      return out;
    };
    const expected = [{ tag: [{ '#text': 'a' }] }, { tag: [{ '#text': 'b' }, { '@lang': 'en', '#text': 'c' }] }];
    expect(await all('tag array object')).toEqual(expected);
    let json = '';
    const inventory = pathsOfInputs({ json: true }, (t) => (json += t));
    parseSync(xml, inventory.next().events);
    inventory.close();
    expect(await all(json)).toEqual(expected);
    expect(await all(JSON.parse(json))).toEqual(expected);
    await expect(all('tag arrays')).rejects.toThrow(/^records\(\): option shape: line 1: /u);
  });
});

describe('xml2json --shape FILE', () => {
  it('reads what --paths -f json wrote: NDJSON with one schema', async () => {
    const dir = scratch();
    const xml = join(dir, 'feed.xml');
    writeFileSync(xml, '<feed><item id="1"><tag>a</tag></item><item><tag>b</tag><tag>c</tag><title lang="en">T</title></item></feed>');
    const paths = await runBin(['--paths', '-f', 'json', xml, '-o', join(dir, 'shape.json')]);
    expect(paths.code).toBe(0);
    const ran = await runBin([xml, '-e', 'item', '-f', 'ndjson', '--shape', join(dir, 'shape.json')]);
    expect(ran).toEqual({ code: 0, stdout: '{"@id":"1","tag":["a"]}\n{"tag":["b","c"],"title":{"@lang":"en","#text":"T"}}\n', stderr: '' });
  });

  it('shapes a document 100,000 elements deep: nothing recurses', async () => {
    const dir = scratch();
    const n = 100_000;
    writeFileSync(join(dir, 'deep.xml'), `<r>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</r>`);
    writeFileSync(join(dir, 'shape.txt'), 'a array\n');
    const ran = await runBin([join(dir, 'deep.xml'), '--max-depth', '200000', '--shape', join(dir, 'shape.txt')]);
    // every <a> an array of one, the innermost holding the text (written out by hand for n = 2: {"r":{"a":[{"a":["x"]}]}})
    expect(ran).toEqual({ code: 0, stdout: `{"r":{"a":${'[{"a":'.repeat(n - 1)}["x"]${'}]'.repeat(n - 1)}}}\n`, stderr: '' });
  });

  it('a FILE that cannot be read or understood is bad usage', async () => {
    expect(await runBin(['-e', 'item', '--shape', 'no-such.json'], '<r/>')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^xml2json: --shape no-such\.json: no such file\n/u) });
    const dir = scratch();
    writeFileSync(join(dir, 'bad.txt'), 'item lists\n');
    expect((await runBin(['-e', 'item', '--shape', join(dir, 'bad.txt')], '<r/>')).code).toBe(2);
  });
});
