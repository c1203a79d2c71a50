// Preloaded into each benchmark case (node --import): reports its time and peak RSS on fd 3 at exit.
import { writeSync } from 'node:fs';

const start = performance.now();
process.on('exit', (code) => {
  const seconds = (performance.now() - start) / 1000;
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6; // includes start-up and GC threads
  writeSync(3, JSON.stringify({ code, seconds, cpuSeconds, maxRssKb: usage.maxRSS }) + '\n');
});
