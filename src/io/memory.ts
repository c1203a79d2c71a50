// Peak memory that does not depend on the input's size. In record mode the live heap is a few MB
// whatever the input, but V8 doubles its young generation (the space new objects are made in) each
// time enough of them outlive a collection: up to 16 MB within the first 20 MB of XML, and on to
// 32 MB later, somewhere in the first few hundred MB — peak RSS rose from ~79 MB to ~96 MB with
// the input. Holding it at 16 MB keeps peak RSS where a short run leaves it; the cost is more, smaller
// collections: on 100 MB of NDJSON, 484 taking 271–291 ms in all against 311 taking 201–206 ms (< 1 %).

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const HOLD_AT = 16 * 1024 * 1024; // bytes of young generation (both semi-spaces)

/** For the CLI's process only: once the young generation has grown to 16 MB, it grows no more. */
export function holdYoungGeneration(): void {
  const watch = setInterval(() => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (young === undefined) clearInterval(watch); // a V8 that names its spaces otherwise: leave it be
    else if (young.space_size >= HOLD_AT) {
      setFlagsFromString('--semi-space-growth-factor=1'); // read by V8 each time it would grow the space
      clearInterval(watch);
    }
  }, 50);
  watch.unref(); // never keeps the process alive
}
