// Preloaded into each benchmark case (node --import): reports its time and peak RSS on fd 3 at exit.
import { writeSync } from 'node:fs';

const start = performance.now();
process.on('exit', (code) => {
  const seconds = (performance.now() - start) / 1000;
  writeSync(3, JSON.stringify({ code, seconds, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
});
