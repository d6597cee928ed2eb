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

try {
  const runs = await runBench(options);
  if (options.json) {
    for (const r of runs) {
      console.log(JSON.stringify({ impl: r.impl, run: r.run, eventsPerSec: r.eventsPerSec, ratio: r.ratio, checksum: r.checksum }));
    }
  } else {
    console.log(formatSummary(summarize(runs), options.n, options.runs));
    console.log(`\n${machineDescription()}`);
  }
  const errors = checksumErrors(runs, options.n);
  if (errors.length > 0) {
    for (const e of errors) console.error(`ERROR: ${e}`);
    process.exit(1);
  }
} catch (err) {
  console.error(`ERROR: ${(err as Error).message}`);
  process.exit(1);
}
