// What run.mjs and json2xml.mjs share: one case timed in a fresh process, and the median of the runs.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';

const REPORT = new URL('./report.mjs', import.meta.url).href;

/** Runs `node SCRIPT ARGS…` with report.mjs preloaded and stdout to /dev/null; resolves to its time and peak RSS. */
export function measure(name, script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REPORT, script, ...args], {
      stdio: ['ignore', openSync('/dev/null', 'w'), 'inherit', 'pipe'],
    });
    let report = '';
    child.stdio[3].setEncoding('utf8').on('data', (text) => (report += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = report === '' ? undefined : JSON.parse(report);
      if (code !== 0 || result?.code !== 0) reject(new Error(`${name}: exit ${code}`));
      else resolve(result);
    });
  });
}

export function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
