// The course's `yield from` (PEP 380) is `yield*`: a stage hands the events inside each <bus> to a
// sub-coroutine, which takes them one by one and returns the finished bus when </bus> comes.
import assert from 'node:assert/strict';
import { buildElements, close, coroutine, parse, recordSelector, send, setOwn } from 'cosax';

// A sub-coroutine: a plain generator (no priming: yield* starts it). An event is valid only until the
// next yield, so it keeps the event's fields, never the event.
function* fieldsOf(name) {
  const record = {};
  let field;
  let text = '';
  for (;;) {
    const event = yield;
    if (event.type === 'start') [field, text] = [event.name, ''];
    else if (event.type === 'text') text += event.text; // text may come in several pieces
    else if (event.name === name) return record; // its own end tag: the value of `yield* fieldsOf(name)`
    else setOwn(record, field, text.trim());
  }
}

// The course's buses_to_dicts, delegating: waits for a <bus>, then lets fieldsOf() take every event
// up to its </bus>, and sends on what it returns.
const busesToDicts = coroutine(function* (target) {
  try {
    for (;;) {
      const event = yield;
      if (event.type === 'start' && event.name === 'bus') send(target, yield* fieldsOf('bus'));
    }
  } finally {
    close(target); // closed in the middle of a <bus>, yield* closes fieldsOf() first
  }
});

const collect = coroutine(function* (into) {
  for (;;) into.push(yield);
});

const delegated = [];
await parse(new URL('./buses.xml', import.meta.url), busesToDicts(collect(delegated)));
const built = [];
await parse(new URL('./buses.xml', import.meta.url), buildElements(recordSelector('bus'), {}, collect(built)));

assert.equal(delegated.length, 300);
assert.deepEqual(delegated, built); // flat records of text: the builder's own result
assert.deepEqual(delegated[0], {
  id: '8747', route: '77', color: '#996633', revenue: 'true', direction: 'North Bound', latitude: '41.9382972564548',
  longitude: '-87.5515531162964', pattern: '4939', patternDirection: 'North Bound', run: 'P404',
  finalStop: 'Pulaski & Midway Terminal', operator: '13128',
});
