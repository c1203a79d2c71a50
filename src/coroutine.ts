// The vocabulary of the course, in TypeScript: a coroutine is a generator that consumes values.
//   coroutine(fn)  primes it (runs it to its first `yield`), as the course's @coroutine does;
//   send(t, v)     t.next(v), but loud when t has already finished (Python raises, JS ignores);
//   close(t)       t.return(): runs t's `finally`, where a stage flushes and closes its own target;
//   fail(t, e)     t.throw(e): an error travels into the chain, each stage's `finally` still runs.

/** A generator that receives values of type `In` through `send()`. */
export type Coroutine<In> = Generator<unknown, unknown, In>;

/** Thrown by `send()` when the target has already finished: the value would be lost. */
export class CoroutineClosedError extends Error {
  override name = 'CoroutineClosedError';
  constructor() {
    super('send() to a coroutine that has already finished');
  }
}

// Coroutines seen to be finished; checked only when `next()` says done, so a send costs nothing extra.
const finished = new WeakSet<object>();

/** Wraps a generator function so that calling it returns a primed coroutine, ready for `send()`. */
export function coroutine<A extends unknown[], In>(
  fn: (...args: A) => Generator<unknown, unknown, In>,
): (...args: A) => Coroutine<In> {
  return (...args: A) => {
    const co = fn(...args);
    co.next(undefined as In);
    return co;
  };
}

/** Sends one value into a coroutine. Throws `CoroutineClosedError` if it had already finished. */
export function send<In>(target: Coroutine<In>, value: In): void {
  let done: boolean | undefined;
  try {
    done = target.next(value).done;
  } catch (error) {
    finished.add(target); // a generator that threw is over
    throw error;
  }
  if (done === true) {
    if (finished.has(target)) throw new CoroutineClosedError();
    finished.add(target); // it finished while taking this value: the value was consumed
  }
}

/** Closes a coroutine: its `finally` runs (flushing, closing its own target). Closing twice is harmless. */
export function close(target: Coroutine<never>): void {
  finished.add(target);
  target.return(undefined);
}

/** Throws an error into a coroutine; unless the stage handles it, it comes back out of this call. */
export function fail(target: Coroutine<never>, error: unknown): void {
  try {
    if (target.throw(error).done === true) finished.add(target);
  } catch (rethrown) {
    finished.add(target);
    throw rethrown;
  }
}
