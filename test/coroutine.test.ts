import { describe, expect, it } from 'vitest';
import { type Coroutine, CoroutineClosedError, close, coroutine, fail, send } from '../src/coroutine.js';

// A stage like the course's: passes values on, logs its own closing, closes its target.
const relay = coroutine(function* (label: string, log: string[], target: Coroutine<number>) {
  try {
    for (;;) send(target, (yield) as number);
  } finally {
    log.push(`${label} closed`);
    close(target);
  }
});

// A sink that buffers, and only writes what it holds when it is closed: a flush.
const buffered = coroutine(function* (out: string[], log: string[]) {
  const held: number[] = [];
  try {
    for (;;) held.push((yield) as number);
  } finally {
    out.push(held.join(','));
    log.push('sink flushed');
  }
});

describe('coroutine()', () => {
  it('primes the generator: it already waits at its first yield', () => {
    const seen: string[] = [];
    const make = coroutine(function* () {
      seen.push('started');
      for (;;) seen.push(String(yield));
    });
    const co = make();
    expect(seen).toEqual(['started']); // ran to the yield without a send
    send(co, 'a');
    expect(seen).toEqual(['started', 'a']); // the first send is not swallowed by priming
  });
});

describe('send()', () => {
  it('fails loudly on a coroutine that was closed', () => {
    const out: string[] = [];
    const sink = buffered(out, []);
    close(sink);
    expect(() => send(sink, 1)).toThrow(CoroutineClosedError);
  });

  it('fails loudly on a coroutine that returned by itself, after the value it took', () => {
    const taken: number[] = [];
    const takeOne = coroutine(function* (): Generator<unknown, void, number> {
      taken.push(yield);
    })();
    send(takeOne, 1); // consumed: no error
    expect(taken).toEqual([1]);
    expect(() => send(takeOne, 2)).toThrow(CoroutineClosedError);
  });

  it('fails loudly on a coroutine that threw', () => {
    const brittle = coroutine(function* (): Generator<unknown, void, number> {
      yield;
      throw new Error('boom');
    })();
    expect(() => send(brittle, 1)).toThrow('boom');
    expect(() => send(brittle, 2)).toThrow(CoroutineClosedError);
  });
});

describe('close()', () => {
  it('closing the head closes the whole chain, and each stage flushes in order', () => {
    const log: string[] = [];
    const out: string[] = [];
    const head = relay('first', log, relay('second', log, buffered(out, log)));
    send(head, 1);
    send(head, 2);
    expect(out).toEqual([]); // nothing written yet: the sink holds its values
    close(head);
    expect(out).toEqual(['1,2']);
    expect(log).toEqual(['first closed', 'second closed', 'sink flushed']);
  });
});

describe('fail()', () => {
  it('an error thrown in runs every stage\'s finally, then reaches the caller', () => {
    const log: string[] = [];
    const out: string[] = [];
    const head = relay('first', log, relay('second', log, buffered(out, log)));
    send(head, 7);
    const error = new Error('bad input');
    expect(() => fail(head, error)).toThrow(error);
    expect(log).toEqual(['first closed', 'second closed', 'sink flushed']);
    expect(out).toEqual(['7']); // what was complete before the error is not lost
    expect(() => send(head, 8)).toThrow(CoroutineClosedError);
  });

  it('a stage that catches the error goes on', () => {
    const seen: unknown[] = [];
    const forgiving = coroutine(function* () {
      for (;;) {
        try {
          seen.push(yield);
        } catch (error) {
          seen.push((error as Error).message);
        }
      }
    })();
    fail(forgiving, new Error('once'));
    send(forgiving, 'after');
    expect(seen).toEqual(['once', 'after']);
  });
});
