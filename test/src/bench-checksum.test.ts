import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../apps/bench/dist/main.js', import.meta.url));
const IMPLS = ['node-streams', 'plain-loop', 'rxjs', 'sluice', 'sluice-window'];

interface Row {
  impl: string;
  variant: string;
  checksum: string;
  eventsPerSec: number;
  ratio: number;
  rssMb: number;
  heapMb: number;
}

async function bench(args: string[]): Promise<Row[]> {
  const { stdout } = await run(process.execPath, [main, ...args, '--runs', '1', '--json'], { timeout: 120_000 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row);
}

// The checksum BENCH.md gives for N = 2,000,000: every implementation must reach it.
const EXPECTED = 'w40000:c1899943:v475953621:p102042772419:o10205275167';

test('bench › every implementation computes the reference checksum of the tick workload', async (t) => {
  const rows = await bench(['--n', '2000000']);
  t.deepEqual(rows.map((r) => r.impl).sort(), IMPLS);
  for (const row of rows) {
    t.is(row.variant, 'tumbling', row.impl);
    t.is(row.checksum, EXPECTED, row.impl);
    t.true(row.eventsPerSec > 0 && row.ratio > 0, row.impl);
    t.true(row.rssMb > 0 && row.heapMb > 0, row.impl);
  }
});

test('bench › sluice-limited (a rate limiter that never limits, on request only) computes the reference checksum', async (t) => {
  const rows = await bench(['--n', '2000000', '--impl', 'sluice-limited']);
  t.deepEqual(
    rows.map((r) => [r.impl, r.checksum]),
    [
      ['plain-loop', EXPECTED],
      ['sluice-limited', EXPECTED],
    ],
  );
});

test('bench › sluice-basic and sluice-monitored (the monitoring overhead, on request only) compute the reference checksum', async (t) => {
  const rows = await bench(['--n', '2000000', '--impl', 'sluice-basic,sluice-monitored']);
  t.deepEqual(
    rows.map((r) => [r.impl, r.checksum]),
    [
      ['plain-loop', EXPECTED],
      ['sluice-basic', EXPECTED],
      ['sluice-monitored', EXPECTED],
    ],
  );
});

// The variants have no reference in BENCH.md: these are what every implementation agreed on when
// they were added (N = 200,000), pinned so that a change to the workload cannot go unnoticed.
const VARIANT_CHECKSUMS: Record<string, string> = {
  sliding: 'w5800:c1901120:v475170960:p14757995823:o1474654390',
  keys100k: 'w181357:c190080:v47474921:p471721513710:o47173816073',
};

for (const [variant, expected] of Object.entries(VARIANT_CHECKSUMS)) {
  test(`bench › every implementation computes the same checksum for the ${variant} variant`, async (t) => {
    const rows = await bench(['--n', '200000', '--variant', variant]);
    t.deepEqual(rows.map((r) => r.impl).sort(), IMPLS);
    for (const row of rows) {
      t.is(row.variant, variant, row.impl);
      t.is(row.checksum, expected, row.impl);
    }
  });
}
