// Every fixture in test/fixtures/, there and back: our JSON of it, written as XML by xmltodict's
// unparse and by us (the same bytes, compact and pretty), then read again into the same JSON — the
// whole document, and the records of every element name inside a root (`-e NAME | json2xml --root`).
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../../src/api.js';
import { parseSync } from '../../src/driver.js';
import { recordSelector } from '../../src/query.js';
import { type Json, buildElements } from '../../src/stages/build.js';
import { toXml } from '../../src/to-xml.js';
import { collect, xmlEvents } from '../helpers/collect.js';
import { sh } from '../cli/shell.js';
import { type Request, type Verdict, unparsed } from './oracle.js';

const DIR = new URL('../fixtures/', import.meta.url);
const fixtures = readdirSync(DIR).filter((file) => file.endsWith('.xml') && !file.startsWith('differs-')).sort(); // differs-*: we refuse them on the way in
const read = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, DIR)));
const ROOT_NAME = 'cosax-records'; // a root no fixture has, so that the records are the outermost elements of their name

/** The records of every outermost element named `name`, as `xml2json -e NAME` makes them. */
function recordsOf(xml: string | Uint8Array, name: string): Json[] {
  const out: Json[] = [];
  parseSync([xml], buildElements(recordSelector(name), {}, collect(out)));
  return out;
}

/** Every element name in the document. */
function names(xml: Uint8Array): string[] {
  return [...new Set(xmlEvents(xml).flatMap((event) => (event.type === 'start' ? [event.name] : [])))];
}

const documents = fixtures.map((fixture) => ({ fixture, json: JSON.stringify(convert(read(fixture))) }));
const requests: Request[] = documents.flatMap(({ json }) => [{ json }, { json, opts: { pretty: true } }]);
let verdicts: Verdict[] = [];
beforeAll(() => {
  verdicts = unparsed(requests);
});

describe('fixtures, there and back', () => {
  it('there are fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(documents.map((d, i) => [d.fixture, i] as const))('%s: unparse and we write the same XML, compact and pretty, and it reads back into the same JSON', (_fixture, i) => {
    const { json } = documents[i]!;
    const value = JSON.parse(json) as Json;
    for (const [k, pretty] of [[0, false], [1, true]] as const) {
      const theirs = verdicts[2 * i + k]!;
      expect(theirs).toMatchObject({ ok: true, wellFormed: true, repr: false });
      const ours = toXml(value, { pretty });
      expect(ours).toBe(theirs.ok ? theirs.xml : '');
      expect(JSON.stringify(convert(ours))).toBe(json);
    }
  });

  it.each(fixtures)('%s: the records of every element name, written inside a root, read back the same', (fixture) => {
    const xml = read(fixture);
    for (const name of names(xml)) {
      const records = recordsOf(xml, name);
      const again = recordsOf(toXml(records, { root: ROOT_NAME, item: name }), name);
      expect({ name, records: JSON.stringify(again) }).toEqual({ name, records: JSON.stringify(records) });
    }
  });
});

describe('the round trip on the command line', () => {
  it.each(['atom.xml', 'soap.xml', 'prototype-names.xml', 'char-refs.xml'])('%s: xml2json | json2xml | xml2json gives the same JSON, whole and as records', async (fixture) => {
    const path = new URL(fixture, DIR).pathname;
    const once = await sh(`xml2json ${path}`);
    const twice = await sh(`xml2json ${path} | json2xml | xml2json`);
    expect(twice).toEqual({ code: 0, stdout: once.stdout, stderr: '' });
    const name = names(read(fixture))[1]!; // the first element inside the root
    const records = await sh(`xml2json ${path} -e ${name} -f ndjson`);
    const back = await sh(`xml2json ${path} -e ${name} -f ndjson | json2xml --root ${ROOT_NAME} --item ${name} | xml2json -e ${name} -f ndjson`);
    expect(back).toEqual({ code: 0, stdout: records.stdout, stderr: '' });
    expect(records.stdout.split('\n').length).toBeGreaterThan(1);
  });
});
