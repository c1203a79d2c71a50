// --on-error skip: clean documents judged by xmltodict, their records then corrupted at random; every
// good record must come out as in the clean conversion, every bad one be reported where the fault is.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordChain } from '../src/chain.js';
import { type Chunk, parseSync } from '../src/driver.js';
import { XmlSyntaxError } from '../src/errors.js';
import { RecordSkipper, type SkippedRecord } from '../src/skip.js';
import type { Json } from '../src/stages/build.js';
import { scratch } from './cli/shell.js';
import { collect, splitAt } from './helpers/collect.js';
import { runBin } from './helpers/run-bin.js';
import { judge } from './xmltodict/oracle.js';

type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'iso-8859-1';

/** Converts `chunks` with --on-error skip, as the CLI wires it: the records kept, and those skipped. */
function skipping(chunks: Chunk[], element = 'item'): { records: Json[]; skipped: SkippedRecord[]; fault?: XmlSyntaxError } {
  const records: Json[] = [];
  const skipped: SkippedRecord[] = [];
  const skipper = new RecordSkipper([element], (record) => skipped.push(record));
  try {
    parseSync(chunks, recordChain({ element }, collect(records), skipper.recordStarted), { skip: skipper });
    return { records, skipped };
  } catch (error) {
    return { records, skipped, fault: error as XmlSyntaxError };
  }
}

// ── generated documents ──

const TEXTS = ['', 'x', 'two words', 'é', '𝄞 clef', '&amp;', '&lt;b&gt;', '&#233;', ' \n ', 'ünïcödé', '1 &#x1D11E; 2'];
const text = fc.constantFrom(...TEXTS);
const child = fc.oneof(
  text.map((t) => `<title>${t}</title>`),
  text.map((t) => `<v a="${t.replace(/\n/gu, ' ')}"/>`),
  fc.tuple(text, text).map(([a, b]) => `<p:q>${a}<sub>${b}</sub></p:q>`),
  text,
  text.map((t) => `<![CDATA[${t} <raw> & ]]>`),
  fc.constant('<!-- note -->'),
  fc.constant('<note/>'),
);
// What makes a record not well-formed, put between two of its children; `start`: in its start tag.
const CORRUPTIONS = ['&bogus;', '\u0001', 'a\u0001b\u0002c', '<oops>', '</wrong>', 'a < b', 'x ]]> y', '<c a=1/>', 'AT&T', '<c a="1" a="2"/>', 'start'] as const;

interface Generated {
  /** the clean document, and the corrupted one */
  clean: string;
  dirty: string;
  encoding: Encoding;
  /** per record: corrupted or not, where it starts in `dirty` and where reading goes on after it */
  records: Array<{ bad: boolean; start: number; next: number }>;
}

const generated: fc.Arbitrary<Generated> = fc
  .record({
    groups: fc.array(fc.array(fc.record({ children: fc.array(child, { minLength: 1, maxLength: 4 }), bad: fc.option(fc.tuple(fc.constantFrom(...CORRUPTIONS), fc.nat()), { freq: 3 }) }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
    grouped: fc.boolean(),
    newline: fc.constantFrom('\n', '\r\n', '\n  '),
    encoding: fc.constantFrom<Encoding>('utf-8', 'utf-8', 'utf-8-bom', 'utf-16le', 'iso-8859-1'),
  })
  .map(({ groups, grouped, newline, encoding }) => {
    const latin1 = encoding === 'iso-8859-1';
    const safe = (s: string) => (latin1 ? s.replace(/[^\x00-\xff]/gu, (c) => `&#${c.codePointAt(0)};`) : s);
    const declaration = latin1 ? '<?xml version="1.0" encoding="ISO-8859-1"?>' : '<?xml version="1.0"?>';
    let clean = `${declaration}${newline}<feed>${newline}<head><title>feed</title><item-count>many</item-count></head>${newline}`;
    let dirty = clean;
    const records: Generated['records'] = [];
    let n = 0;
    for (const group of groups) {
      if (grouped) {
        clean += `<group>${newline}`;
        dirty += `<group>${newline}`;
      }
      for (const { children, bad } of group) {
        const id = ++n;
        const body = children.map(safe);
        const [what, where] = bad ?? [undefined, 0];
        const dirtyBody = what === undefined || what === 'start' ? body : body.toSpliced(where % (body.length + 1), 0, what);
        if (records.length > 0 && records[records.length - 1]!.next < 0) records[records.length - 1]!.next = dirty.length;
        records.push({ bad: what !== undefined, start: dirty.length, next: -1 });
        clean += `<item id="${id}">${body.join('')}</item>${newline}`;
        dirty += `<item id="${id}"${what === 'start' ? ` id="${id}"` : ''}>${dirtyBody.join('')}</item>${newline}`;
      }
      records[records.length - 1]!.next = dirty.length; // a group's last record: reading goes on at </group> or </feed>
      if (grouped) {
        clean += `</group>${newline}`;
        dirty += `</group>${newline}`;
      }
    }
    return { clean: `${clean}</feed>${newline}`, dirty: `${dirty}</feed>${newline}`, encoding, records };
  });

/** The bytes of `text` in `encoding`, without a byte order mark. */
function bytesOf(text: string, encoding: Encoding): Buffer {
  return Buffer.from(text, encoding === 'utf-16le' ? 'utf16le' : encoding === 'iso-8859-1' ? 'latin1' : 'utf8');
}

function encode(text: string, encoding: Encoding): Buffer {
  return bytesOf(encoding === 'utf-8-bom' || encoding === 'utf-16le' ? '\uFEFF' + text : text, encoding);
}

/** `text` with the records at these ranges made comments of the same lines and columns: its first fault is then further on. */
function neutralised(text: string, ranges: Array<{ start: number; end: number }>): string {
  let out = text;
  for (const { start, end } of ranges.toReversed()) { // from the last: an astral character becomes one 'x', shorter
    const inside = [...out.slice(start + 4, end - 3)].map((c) => (c === '\n' || c === '\r' ? c : 'x')).join('');
    out = `${out.slice(0, start)}<!--${inside}-->${out.slice(end)}`;
  }
  return out;
}

/** Where the first fault of `text` is, read as it is (no skipping). */
function firstFault(text: string): { line: number; column: number } {
  try {
    parseSync([text], recordChain({ element: 'item' }, collect([])));
  } catch (error) {
    return { line: (error as XmlSyntaxError).line!, column: (error as XmlSyntaxError).column! };
  }
  throw new Error('no fault');
}

describe('--on-error skip on generated documents, their records corrupted at random', () => {
  it('300 documents in random chunks: the good records as xmltodict converts the clean document; each bad one reported at its fault, with its bytes', () => {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const cases = fc.sample(fc.tuple(generated, fc.array(fc.nat(), { maxLength: 6 })), { numRuns: 300, seed });
    const verdicts = judge(cases.map(([doc]) => ({ xml: encode(doc.clean, doc.encoding), select: ['item'] })));
    let skippedInAll = 0;
    cases.forEach(([doc, cuts], i) => {
      const context = `seed ${seed} #${i} ${doc.encoding} cuts ${JSON.stringify(cuts)}\n${JSON.stringify(doc.dirty)}`;
      const verdict = verdicts[i]!;
      expect(verdict.ok, context).toBe(true);
      const clean = JSON.parse(verdict.ok ? verdict.records.get('item')! : '[]') as Json[];
      const bytes = encode(doc.dirty, doc.encoding);
      const run = skipping(splitAt(bytes, cuts.map((cut) => cut % (bytes.length + 1))));
      expect(run.fault, context).toBeUndefined();
      expect(JSON.stringify(run.records), context).toBe(JSON.stringify(clean.filter((_, k) => !doc.records[k]!.bad)));
      expect(run.skipped.map((s) => s.record), context).toEqual(doc.records.flatMap((r, k) => (r.bad ? [k + 1] : [])));
      const bytesBefore = (offset: number) => encode(doc.dirty.slice(0, offset), doc.encoding).length;
      const bad = doc.records.filter((r) => r.bad);
      // (positions from the document in one chunk: the tokenizer's columns after a character beyond U+FFFF in an earlier chunk of the line are one too many)
      const positions = skipping([bytes]).skipped;
      run.skipped.forEach((skipped, k) => {
        const record = bad[k]!;
        // Where: as reading the document without skipping finds it, once the bad records before are comments.
        const before = bad.slice(0, k).map((r) => ({ start: r.start, end: doc.dirty.indexOf('</item>', r.start) + 7 }));
        expect({ line: positions[k]!.line, column: positions[k]!.column }, context).toEqual(firstFault(neutralised(doc.dirty, before)));
        // What was dropped: from its start tag to where reading went on, in bytes of the file.
        expect(skipped.text, context).toBe(doc.dirty.slice(record.start, record.next));
        expect(skipped.offset, context).toBe(bytesBefore(record.start));
        expect(skipped.length, context).toBe(bytesBefore(record.next) - bytesBefore(record.start));
        expect(skipped.truncated).toBe(false);
      });
      skippedInAll += run.skipped.length;
    });
    expect(skippedInAll).toBeGreaterThan(100); // the corruptions were there to be found
  });

  it('the same records and reports whatever the chunking, down to a byte at a time', () => {
    // (no character beyond U+FFFF: the tokenizer's columns after one in an earlier chunk of the line are one too many)
    const [[doc]] = fc.sample(fc.tuple(generated.filter((d) => d.records.filter((r) => r.bad).length > 1 && d.encoding === 'utf-8' && !/[\u{10000}-\u{10FFFF}]/u.test(d.dirty))), { numRuns: 1, seed: 17 });
    const bytes = encode(doc!.dirty, doc!.encoding);
    const whole = skipping([bytes]);
    expect(skipping([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
    expect(whole.skipped.length).toBeGreaterThan(0);
  });
});

describe('--on-error skip: what is and is not skipped', () => {
  it('a record cut short by the end of the input is reported, then the missing end tags end the run', () => {
    const run = skipping(['<r><item>1</item><item>2<oops></item>']);
    expect(run.records).toEqual(['1']);
    expect(run.skipped).toMatchObject([{ record: 2, line: 1, column: 33, text: '<item>2<oops></item>' }]);
    expect(run.fault).toMatchObject({ code: 'XML_SYNTAX', line: 1, column: 38, reason: 'the document ends inside <r>: its end tag is missing' });
  });

  it('a fault outside any record ends the run, after the records before it', () => {
    const run = skipping(['<r><item>1</item><head></wrong><item>2</item></r>']);
    expect(run.records).toEqual(['1']);
    expect(run.skipped).toEqual([]);
    expect(run.fault).toMatchObject({ line: 1, column: 26 }); // at the name of </wrong>
  });

  it('the record that is the root is not skipped: there is nothing around it to read on in', () => {
    const run = skipping(['<item><a>1</b></item>']);
    expect(run.fault).toMatchObject({ line: 1, column: 13 });
  });

  it('an encoding fault or a limit is not skipped', () => {
    expect(skipping([Buffer.from('<r><item>\xff</item><item>2</item></r>', 'latin1')]).fault).toMatchObject({ code: 'XML_ENCODING' });
  });

  it('a record longer than the cap keeps its first RAW_CAP bytes, and its offset and length', () => {
    const long = `<item>${'x'.repeat(300_000)}&bad;</item>`;
    const run = skipping(['<r><item>1</item>', long, '<item>3</item></r>']);
    expect(run.records).toEqual(['1', '3']);
    expect(run.skipped).toMatchObject([{ record: 2, offset: 17, length: long.length, truncated: true }]);
    expect(run.skipped[0]!.text).toBe(long.slice(0, 64 * 1024));
  });
});

describe('xml2json --on-error skip', () => {
  const DIRTY = '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x>\n<x><v>3</v></x>\n<x>&bad;</x>\n</r>\n';

  it('drops the bad records, one line each on stderr, the count last, exit 1; --errors FILE has them as JSON lines', async () => {
    const dir = scratch();
    const errors = join(dir, 'errors.ndjson');
    const file = join(dir, 'dirty.xml');
    writeFileSync(file, DIRTY);
    const ran = await runBin([file, '-e', 'x', '-f', 'ndjson', '--on-error', 'skip', '--errors', errors]);
    expect(ran.stdout).toBe('{"v":"1"}\n{"v":"3"}\n');
    expect(ran.stderr).toBe(`xml2json: ${file}:3:10: skipped record 2: the end tag </oops> does not match <v>\nxml2json: ${file}:5:4: skipped record 4: undefined entity &bad;\nxml2json: skipped 2 records, written to ${errors}\n`);
    expect(ran.code).toBe(1);
    const lines = readFileSync(errors, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { file, record: 2, line: 3, column: 10, reason: 'the end tag </oops> does not match <v>', offset: 20, length: 19, text: '<x><v>2</oops></x>\n', encoding: 'utf-8', truncated: false },
      { file, record: 4, line: 5, column: 4, reason: 'undefined entity &bad;', offset: 55, length: 13, text: '<x>&bad;</x>\n', encoding: 'utf-8', truncated: false },
    ]);
    expect(DIRTY.slice(20, 39)).toBe('<x><v>2</oops></x>\n');
  });

  it('a clean input: exit 0, nothing on stderr, an empty --errors FILE', async () => {
    const errors = join(scratch(), 'errors.ndjson');
    expect(await runBin(['-e', 'x', '--on-error', 'skip', '--errors', errors], '<r><x>1</x></r>')).toEqual({ code: 0, stdout: '[\n"1"\n]\n', stderr: '' });
    expect(readFileSync(errors, 'utf8')).toBe('');
  });

  it('a fault outside any record still ends the run: the count comes after it', async () => {
    const ran = await runBin(['-e', 'x', '-f', 'ndjson', '--on-error', 'skip'], '<r><x>&bad;</x><x>2</x></r><r/>');
    expect(ran).toEqual({ code: 1, stdout: '"2"\n', stderr: 'xml2json: <stdin>:1:7: skipped record 1: undefined entity &bad;\nxml2json: <stdin>:1:28: a second root element\nxml2json: skipped 1 record\n' });
  });

  it('is bad usage without -e, with --parser sax, and --errors without it', async () => {
    for (const args of [['--on-error', 'skip'], ['-e', 'x', '--on-error', 'skip', '--parser', 'sax'], ['-e', 'x', '--errors', 'e.ndjson'], ['-e', 'x', '--on-error', 'ignore']]) {
      expect((await runBin(args, '<r/>')).code).toBe(2);
    }
  });
});
