// A stage of your own, driven by hand: send() passes a value in, close() flushes the chain, fail() throws into it.
import assert from 'node:assert/strict';
import { CoroutineClosedError, close, coroutine, emitJsonLines, fail, fieldOf, pyStrip, send, setOwn, where } from 'cosax';

// Renames fields. Keys come from the document, so setOwn() sets them (even "__proto__") as own properties.
const renameKeys = coroutine(function* (names, target) {
  try {
    for (;;) {
      const record = yield;
      const renamed = {};
      for (const [key, value] of Object.entries(record)) setOwn(renamed, names[key] ?? key, value);
      send(target, renamed);
    }
  } finally {
    close(target); // closing travels down the chain: each stage flushes, then closes its target
  }
});

let out = '';
const chain = where((bus) => fieldOf(bus, 'route') === '22',
  renameKeys({ id: 'bus' },
    emitJsonLines((text) => (out += text))));
send(chain, { id: '7', route: '22' });
send(chain, { id: '8', route: '9' });
close(chain);
assert.equal(out, '{"bus":"7","route":"22"}\n');
assert.throws(() => send(chain, { id: '9', route: '22' }), CoroutineClosedError); // a closed chain says so

// fail() throws an error into a chain: every stage's `finally` runs, then the error comes back out.
const log = [];
const logged = coroutine(function* () {
  try {
    for (;;) yield;
  } finally {
    log.push('flushed');
  }
});
assert.throws(() => fail(renameKeys({}, logged()), new Error('disk full')), /disk full/);
assert.deepEqual(log, ['flushed']);

// pyStrip() strips as Python's str.strip() (xmltodict's rule), which is not String.prototype.trim().
assert.equal(pyStrip('\u0085 Navy Pier \t'), 'Navy Pier');
assert.equal('\u0085 Navy Pier \t'.trim(), '\u0085 Navy Pier');
