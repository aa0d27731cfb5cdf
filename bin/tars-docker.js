#!/usr/bin/env node
// fetch's HTTP parser is WebAssembly, and V8 re-optimises it on a background thread that the process then waits
// for at exit (about 0.1 s on every command that asks a registry); the baseline compiler is ample for our traffic.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
