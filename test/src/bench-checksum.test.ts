import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../apps/bench/dist/main.js', import.meta.url));

// The checksum BENCH.md gives for N = 2,000,000: every implementation must reach it.
const EXPECTED = 'w40000:c1899943:v475953621:p102042772419:o10205275167';

test('bench › every implementation computes the reference checksum of the tick workload', async (t) => {
  const { stdout } = await run(process.execPath, [main, '--n', '2000000', '--runs', '1', '--json'], { timeout: 120_000 });
  const rows = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { impl: string; checksum: string; eventsPerSec: number; ratio: number });
  t.deepEqual(rows.map((r) => r.impl).sort(), ['node-streams', 'plain-loop', 'rxjs', 'sluice', 'sluice-window']);
  for (const row of rows) {
    t.is(row.checksum, EXPECTED, row.impl);
    t.true(row.eventsPerSec > 0 && row.ratio > 0, row.impl);
  }
});
