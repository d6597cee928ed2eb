import { existsSync } from 'node:fs';
import { parseBenchArgs, USAGE, type BenchOptions } from './bench-options.js';
import { formatSummary, machineDescription } from './bench-report.js';
import { checksumErrors, runBench, summarize } from './bench-runner.js';

let options: BenchOptions;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

// Fail before spending minutes on the others, e.g. when impl/sluice.ts is not built yet.
const missing = options.impls.filter((impl) => !existsSync(new URL(`./impl/${impl}.js`, import.meta.url)));
if (missing.length > 0) {
  console.error(`ERROR: implementation(s) not built: ${missing.map((m) => `dist/impl/${m}.js`).join(', ')}`);
  process.exit(1);
}

try {
  const runs = await runBench(options);
  if (options.json) {
    for (const r of runs) {
      const { impl, variant, run, eventsPerSec, ratio, checksum, rssMb, heapMb, liveHeapMb } = r;
      console.log(JSON.stringify({ impl, variant, run, eventsPerSec, ratio, checksum, rssMb, heapMb, liveHeapMb }));
    }
  } else {
    console.log(formatSummary(summarize(runs), options.n, options.runs, options.variant));
    console.log(`\n${machineDescription()}`);
  }
  const errors = checksumErrors(runs, options.n, options.variant);
  if (errors.length > 0) {
    for (const e of errors) console.error(`ERROR: ${e}`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`ERROR: ${(err as Error).message}`);
  process.exitCode = 1;
}
