// A stage of your own on the parser's events. The parser sends the same three event objects again
// and again: an event is yours until your stage yields again — keep its name, attrs or text (those are
// yours to keep), or a copy of it, never the event itself.
import assert from 'node:assert/strict';
import { EventBatch, coroutine, parse, takesBatches } from 'cosax';

// The course's kind of stage: one event at a time, the generator's position its state.
const outline = coroutine(function* (lines) {
  let depth = 0;
  for (;;) {
    const event = yield;
    if (event.type === 'start') lines.push('  '.repeat(depth++) + event.name);
    else if (event.type === 'end') depth--;
  }
});

const lines = [];
await parse(['<buses><bus id="1"><route>22</route></bus><bus/></buses>'], outline(lines));
assert.deepEqual(lines, ['buses', '  bus', '    route', '  bus']);

// Events kept past the next yield are copied: the same object comes back with the next event in it.
const kept = [];
const keep = coroutine(function* () {
  for (;;) kept.push({ ...(yield) });
});
await parse(['<a>hi<b/></a>'], keep());
assert.deepEqual(kept.map((event) => event.type + ' ' + (event.name ?? event.text)), ['start a', 'text hi', 'start b', 'end b', 'end a']);

// A stage that takes batches, as the builder does: the default parser hands it each chunk's events as
// one EventBatch, one resume of the generator a chunk; next() gives each event once (valid until the
// stage yields), then undefined. It still takes single events from others (--parser sax, say).
const tally = coroutine(function* (counts) {
  for (;;) {
    const given = yield;
    if (!(given instanceof EventBatch)) counts[given.type]++;
    else for (let event = given.next(); event !== undefined; event = given.next()) counts[event.type]++;
  }
});
const counts = { start: 0, text: 0, end: 0 };
await parse(['<buses><bus id="1"><route>22</route></bus><bus/></buses>'], takesBatches(tally(counts)));
assert.deepEqual(counts, { start: 4, text: 1, end: 4 });
