#!/usr/bin/env node
import { processIo } from './io.js';

const argv = process.argv.slice(2);
// `phm stats` loads only the statistics, not DuckDB, the server or the generator (see stats-cli.ts).
const run = argv[0] === 'stats' ? (await import('./stats-cli.js')).runStatsCli : (await import('./program.js')).runCli;
process.exitCode = await run(argv, processIo());
