// Child entry: `node dist/run-one.js <impl> <n> [variant]`. One fresh process per run, so JIT
// state, heap and GC history never leak from one implementation into another.
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { RunResult } from './run-result.js';
import { DEFAULT_VARIANT, variantNamed, type WorkloadVariant } from './workload/workload-variant.js';

interface Impl {
  run(n: number, variant: WorkloadVariant): Promise<string>;
  readonly detail?: string;
}

const [impl, nArg, variantArg = DEFAULT_VARIANT] = process.argv.slice(2);
const n = Number(nArg);
if (impl === undefined || !/^[a-z0-9-]+$/.test(impl) || !Number.isSafeInteger(n) || n < 0) {
  console.error('usage: run-one.js <impl> <n> [variant]');
  process.exit(2);
}
const variant = variantNamed(variantArg);

const mod = (await import(`./impl/${impl}.js`)) as Impl;
// Records the heap before and after every GC (collected by V8 itself, so it sees loops that
// never yield): the largest heap in use just before a collection is the run's peak.
const gcProfiler = new v8.GCProfiler();
gcProfiler.start();
const start = performance.now();
const checksum = await mod.run(n, variant);
const ms = performance.now() - start;
const gcs = gcProfiler.stop().statistics;
const usedAtEnd = v8.getHeapStatistics().used_heap_size;
const peakHeap = gcs.reduce((max, gc) => Math.max(max, gc.beforeGC.heapStatistics.usedHeapSize), usedAtEnd);
// What survives a full GC is what the run really holds (the peak above includes garbage that
// V8 lets pile up in the old generation, more of it in longer runs): null when none ran.
const fullGcs = gcs.filter((gc) => gc.gcType === 'MarkSweepCompact');
const liveHeap = fullGcs.length === 0 ? null : Math.max(...fullGcs.map((gc) => gc.afterGC.heapStatistics.usedHeapSize));
const result: RunResult = {
  impl,
  variant: variant.name,
  n,
  ms,
  eventsPerSec: n / (ms / 1000),
  checksum,
  rssMb: process.resourceUsage().maxRSS / 1024,
  heapMb: peakHeap / 2 ** 20,
  liveHeapMb: liveHeap === null ? null : liveHeap / 2 ** 20,
  ...(mod.detail === undefined || mod.detail === '' ? {} : { detail: mod.detail }),
};
console.log(JSON.stringify(result));
