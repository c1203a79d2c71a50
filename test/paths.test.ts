// --paths: the element inventory of a document, by absolute path — expectations counted by hand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathsOfInputs } from '../src/chain.js';
import { parseSync } from '../src/driver.js';
import type { InventoryOptions, PathSummary } from '../src/inventory.js';
import { scratch } from './cli/shell.js';
import { runBin } from './helpers/run-bin.js';

const OSM = `<?xml version="1.0"?>
<osm version="0.6">
 <node id="1" lat="1.5" lon="2"><tag k="name" v="A"/></node>
 <node id="2" lat="1.6" lon="2.1"/>
 <node id="3" lat="1.6" lon="2.1"><tag k="a" v="b"/><tag k="c" v="d"/></node>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="road"/></way>
 <note>plain</note>
 <note lang="en">with an attribute, and a text that goes on beyond forty characters</note>
</osm>`;

/** The inventory of these documents, as --paths -f json writes it. */
function inventory(documents: string[], options: InventoryOptions = {}): { paths: PathSummary[]; unlisted: number } {
  let json = '';
  const chain = pathsOfInputs({ ...options, json: true }, (text) => (json += text));
  for (const document of documents) parseSync([document], chain.next().events, options);
  chain.close();
  return JSON.parse(json) as { paths: PathSummary[]; unlisted: number };
}

const byPath = (paths: PathSummary[]) => Object.fromEntries(paths.map(({ path, ...rest }) => [path, rest]));

describe('the inventory, counted by hand', () => {
  it('each path: how many, how many in one parent, in how many parents, with attributes, text, children; a sample', () => {
    const { paths, unlisted } = inventory([OSM]);
    expect(unlisted).toBe(0);
    expect(paths.map((p) => p.path)).toEqual(['/osm', '/osm/node', '/osm/node/tag', '/osm/way', '/osm/way/nd', '/osm/way/tag', '/osm/note']);
    const at = byPath(paths);
    expect(at['/osm/node']).toEqual({ name: 'node', count: 3, parents: 1, min: 3, max: 3, attributed: 3, text: 0, children: 2, textOnly: 0, attributes: ['id', 'lat', 'lon'], moreAttributes: false, sample: null });
    expect(at['/osm/node/tag']).toMatchObject({ count: 3, parents: 2, min: 1, max: 2, attributed: 3, children: 0, attributes: ['k', 'v'] });
    expect(at['/osm/way/nd']).toMatchObject({ count: 2, parents: 1, min: 2, max: 2 });
    expect(at['/osm/note']).toMatchObject({ count: 2, min: 2, max: 2, attributed: 1, text: 2, textOnly: 1, attributes: ['lang'], sample: 'plain' });
  });

  it('counts repeats within one parent even when they are not adjacent; the first text is the sample, cut to 40', () => {
    const { paths } = inventory(['<r><a><b/><c>  first text, which is a little longer than forty  </c><b/></a><a><b/><c>2</c></a><a/></r>']);
    const at = byPath(paths);
    expect(at['/r/a']).toMatchObject({ count: 3, min: 3, max: 3, children: 2 });
    expect(at['/r/a/b']).toMatchObject({ count: 3, parents: 2, min: 1, max: 2, text: 0 });
    expect(at['/r/a/c']).toMatchObject({ count: 2, parents: 2, min: 1, max: 1, text: 2, sample: 'first text, which is a little longer th…' }); // 39 and '…'
    expect(at['/r/a/c']!.sample).toHaveLength(40);
  });

  it('several inputs make one inventory', () => {
    expect(byPath(inventory(['<r><x/></r>', '<r><x/><x/></r>']).paths)['/r/x']).toMatchObject({ count: 3, parents: 2, min: 1, max: 2 });
  });

  it('text is what xmltodict keeps: white space alone is none, unless keepSpace; --strip-ns names', () => {
    const doc = '<p:r xmlns:p="urn:p"><p:a p:x="1">  </p:a><a>\n</a></p:r>';
    expect(byPath(inventory([doc]).paths)['/p:r/p:a']).toMatchObject({ text: 0, attributes: ['p:x'] });
    expect(byPath(inventory([doc], { keepSpace: true }).paths)['/p:r/p:a']).toMatchObject({ text: 1, sample: '  ' });
    const stripped = inventory([doc], { stripNamespaces: true });
    expect(stripped.paths.map((p) => p.path)).toEqual(['/r', '/r/a']);
    expect(byPath(stripped.paths)['/r']).toMatchObject({ attributed: 0, attributes: [] }); // xmlns is not an attribute then
    expect(byPath(stripped.paths)['/r/a']).toMatchObject({ count: 2, attributes: ['x'] });
  });

  it('bounded: 4,096 paths, then the rest counted as unlisted; 32 attribute names a path', () => {
    const many = `<r>${Array.from({ length: 5000 }, (_, i) => `<e${i}><x/></e${i}>`).join('')}</r>`;
    const { paths, unlisted } = inventory([many]);
    expect(paths).toHaveLength(4096);
    expect(unlisted).toBe(2 * 5000 + 1 - 4096);
    const attrs = `<r>${Array.from({ length: 40 }, (_, i) => `<a n${i}="v"/>`).join('')}</r>`;
    expect(byPath(inventory([attrs]).paths)['/r/a']).toMatchObject({ moreAttributes: true });
    expect(byPath(inventory([attrs]).paths)['/r/a']!.attributes).toHaveLength(32);
  });
});

describe('xml2json --paths', () => {
  it('prints the table, and what it suggests for -e, --array and --shape', async () => {
    const ran = await runBin(['--paths'], OSM);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe(`PATH           COUNT  PER PARENT  IN PARENTS  TEXT  CHILDREN  ATTRIBUTES     SAMPLE
/osm               1           1         1/1     0         1  @version
/osm/node          3           3         1/1     0         2  @id,@lat,@lon
/osm/node/tag      3         1–2         2/3     0         0  @k,@v
/osm/way           1           1         1/1     0         1  @id
/osm/way/nd        2           2         1/1     0         0  @ref
/osm/way/tag       1           1         1/1     0         0  @k,@v
/osm/note          2           2         1/1     2         0  @lang          "plain"
# records (-e): elements that repeat in their parent, outermost first: node (3, at /osm/node), note (2, at /osm/note), tag (3, at /osm/node/tag)
# one in some parents, several in others, so an array only sometimes (--array NAME, or --shape): /osm/node/tag
# text alone in some, with attributes or children in others, so an object only sometimes (--shape): /osm/note
`);
  });

  it('-f json: the same, for --shape or a script; several FILEs make one inventory', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.xml'), OSM);
    const ran = await runBin(['--paths', '-f', 'json', join(dir, 'a.xml'), join(dir, 'a.xml')]);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({ paths: inventory([OSM, OSM]).paths, unlisted: 0 });
    expect(byPath(inventory([OSM, OSM]).paths)['/osm/node']).toMatchObject({ count: 6, parents: 2 });
  });

  it('says when the table is capped', async () => {
    const many = `<r>${Array.from({ length: 4100 }, (_, i) => `<e${i}/>`).join('')}</r>`;
    expect((await runBin(['--paths'], many)).stdout.trimEnd().split('\n').at(-1)).toBe('# capped: 5 elements at paths after the first 4,096 are not listed');
  });

  it('a fault is one line, after nothing is printed; what does not change the inventory is bad usage', async () => {
    expect(await runBin(['--paths'], '<r><a></b></r>')).toMatchObject({ code: 1, stderr: 'xml2json: <stdin>:1:9: the end tag </b> does not match <a>\n' });
    for (const args of [['-e', 'a'], ['-w', 'a=1'], ['-f', 'csv'], ['-f', 'ndjson'], ['--pretty'], ['--array', 'a'], ['--limit', '1'], ['--shape', 'x']]) {
      expect((await runBin(['--paths', ...args], '<r/>')).code).toBe(2);
    }
  });
});
