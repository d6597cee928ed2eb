// Child entry: `node dist/run-one.js <impl> <n>`. One fresh process per run, so JIT
// state, heap and GC history never leak from one implementation into another.
import { performance } from 'node:perf_hooks';
import type { RunResult } from './run-result.js';

interface Impl {
  run(n: number): Promise<string>;
}

const [impl, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (impl === undefined || !/^[a-z0-9-]+$/.test(impl) || !Number.isSafeInteger(n) || n < 0) {
  console.error('usage: run-one.js <impl> <n>');
  process.exit(2);
}

const mod = (await import(`./impl/${impl}.js`)) as Impl;
const start = performance.now();
const checksum = await mod.run(n);
const ms = performance.now() - start;
const result: RunResult = {
  impl,
  n,
  ms,
  eventsPerSec: n / (ms / 1000),
  checksum,
  rssMb: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(result));
