#!/usr/bin/env node
// A clone has no dist/ until it is built: the first run builds it (a package from npm ships it built,
// so that installing needs no install script).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  process.stderr.write('xml2json: the first run in a clone builds dist/ (npm run build)\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: new URL('..', import.meta.url), stdio: ['ignore', 'ignore', 'inherit'] });
}
const { holdYoungGeneration } = await import('../dist/io/memory.js');
const { run } = await import('../dist/cli.js');
holdYoungGeneration(); // the same peak memory for 20 MB and for 2 GB of XML
process.exitCode = await run(process.argv.slice(2));
