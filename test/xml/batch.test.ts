// A stage marked with takesBatches gets the parser's events as EventBatch values: the same events, in
// the same order, as a stage that takes one a send; the events before a fault before the fault.
import { describe, expect, it } from 'vitest';
import { type Coroutine, coroutine } from '../../src/coroutine.js';
import { parseSync, type FeedOptions } from '../../src/driver.js';
import { EventBatch, type XmlEvent, takesBatches } from '../../src/events.js';
import { xmlEvents } from '../helpers/collect.js';

/** A batch stage that copies every event it is given, and counts what each send was. */
function batchCollector(into: XmlEvent[], sends: { batches: number; singles: number; largest: number }): Coroutine<XmlEvent | EventBatch> {
  const stage = coroutine(function* (): Generator<unknown, void, XmlEvent | EventBatch> {
    for (;;) {
      const given = yield;
      if (!(given instanceof EventBatch)) {
        sends.singles++;
        into.push({ ...given });
        continue;
      }
      sends.batches++;
      sends.largest = Math.max(sends.largest, given.length);
      for (let event = given.next(); event !== undefined; event = given.next()) into.push({ ...event });
      expect(given.next()).toBeUndefined(); // each event once
    }
  })();
  return takesBatches(stage);
}

function batched(chunks: string[], options: FeedOptions = {}) {
  const events: XmlEvent[] = [];
  const sends = { batches: 0, singles: 0, largest: 0 };
  let error: unknown;
  try {
    parseSync(chunks, batchCollector(events, sends), options);
  } catch (thrown) {
    error = thrown;
  }
  return { events, sends, error };
}

const records = (n: number) => '<r>\n' + Array.from({ length: n }, (_, i) => `<b id="${i}">t${i}&amp;<![CDATA[<c>]]></b>\n`).join('') + '</r>';

describe('event batches', () => {
  it('the same events as one a send, in any chunking, in batches of at most 1,024', () => {
    const xml = records(600); // 600 × (start, 3 texts, end) + the root's: 3,002 events
    expect(xmlEvents(xml)).toHaveLength(3002);
    for (const size of [1, 7, 4096, xml.length]) {
      const chunks = xml.match(new RegExp(`[^]{1,${size}}`, 'g'))!;
      const got = batched(chunks);
      expect(got.events).toEqual(xmlEvents(chunks)); // (a chunk's end cuts texts into more pieces)
      expect(got.sends.singles).toBe(0);
      expect(got.sends.largest).toBeLessThanOrEqual(1024);
    }
    expect(batched([xml]).sends.batches).toBe(3); // one chunk: 1,024 + 1,024 + 954
  });

  it('the events before a fault reach the stage first; the fault keeps its position', () => {
    const xml = records(300) + '<x/>'; // a second root, after 1,502 events in the same chunk
    const got = batched([xml]);
    expect(got.events).toEqual(xmlEvents(records(300)));
    expect(got.error).toMatchObject({ code: 'XML_SYNTAX', line: 302, column: 5 });
  });

  it('--parser sax has no offsets to place a fault by: a batch stage gets its events one a send', () => {
    const xml = records(3);
    const got = batched([xml], { parser: 'sax' });
    const expected = xmlEvents(xml, { parser: 'sax' });
    expect(got.sends).toEqual({ batches: 0, singles: expected.length, largest: 0 });
    expect(got.events).toEqual(expected);
  });

  it('pass() goes over the rest of open elements without handing out their events, counting their characters', () => {
    const batch = new EventBatch();
    // <r><skip a="12" bc="3">four<x:y/>five</skip><next/>…, built by hand as the adapter adds them
    batch.start('r', {}, 0);
    batch.start('skip', { a: '12', bc: '3' }, 3);
    batch.text('four', 0, 4, 23);
    batch.start('x:y', {}, 27);
    batch.end('x:y', 27);
    batch.text('..five..', 2, 6, 33);
    batch.end('skip', 37);
    batch.start('next', {}, 44);
    expect(batch.next()).toMatchObject({ type: 'start', name: 'r' });
    expect(batch.next()).toMatchObject({ type: 'start', name: 'skip' });
    // 'four' 4 + 'x:y' 3 + 'five' 4 = 11 (the start already handed out is the caller's to count)
    expect(batch.pass(1, 100, false)).toBe(0);
    expect(batch.counted).toBe(11);
    expect(batch.next()).toMatchObject({ type: 'start', name: 'next' });
  });

  it('pass() counts local names when asked, stops at the event beyond `room` (placed there), and at the batch end', () => {
    const make = () => {
      const batch = new EventBatch();
      batch.start('skip', {}, 0);
      batch.start('x:y', { k: 'vv' }, 6); // 'x:y' 3 (or 'y' 1) + 'k' 1 + 'vv' 2
      batch.text('abcdef', 0, 6, 20); // 6
      batch.end('x:y', 26);
      batch.next();
      return batch;
    };
    const local = make();
    expect(local.pass(1, 100, true)).toBe(1); // the batch ends inside <skip>
    expect(local.counted).toBe(1 + 3 + 6);
    expect(local.next()).toBeUndefined();
    const full = make();
    expect(full.pass(1, 9, false)).toBe(2); // 6, then 12 > 9 at the text
    expect(full.counted).toBe(12);
    expect(full.offset()).toBe(20);
    expect(full.next()).toMatchObject({ type: 'end', name: 'x:y' });
  });
});
