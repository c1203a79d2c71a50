#!/usr/bin/env node
import { holdYoungGeneration } from '../dist/io/memory.js';
import { run } from '../dist/cli/json2xml.js';
holdYoungGeneration(); // the same peak memory for 20 MB and for 2 GB of NDJSON
process.exitCode = await run(process.argv.slice(2));
