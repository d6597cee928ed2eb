import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMarketPipeline, FeedCounters, resolveFeedOptions, TickGenerator, type RawTick } from '@sluice/market-data';

const main = fileURLToPath(new URL('../../apps/market-data/dist/main.js', import.meta.url));

// The demo's own validity rule, restated independently: a tick is good when its price is a
// positive finite number and its size a positive number.
const isGood = (t: RawTick) =>
  typeof t.price === 'number' && Number.isFinite(t.price) && t.price > 0 && Number.isFinite(t.size) && t.size > 0;

test('demo › per-symbol count, volume and VWAP equal a direct computation over the same feed; malformed ticks are dead letters', async (t) => {
  const maxTicks = 60_000;
  const seed = 7;
  const { pipeline, stats, feed } = buildMarketPipeline({ rate: 0, maxTicks, seed });
  const result = await pipeline.run();

  const generator = new TickGenerator(resolveFeedOptions({ rate: 0, maxTicks, seed }), new FeedCounters());
  const expected = new Map<string, { count: number; volume: number; pv: number }>();
  let bad = 0;
  for (let i = 0; i < maxTicks; i++) {
    const tick = generator.next();
    if (!isGood(tick)) {
      bad++;
      continue;
    }
    const e = expected.get(tick.symbol) ?? { count: 0, volume: 0, pv: 0 };
    e.count++;
    e.volume += tick.size;
    e.pv += tick.price! * tick.size;
    expected.set(tick.symbol, e);
  }

  t.is(result.sources.ticks!.records, maxTicks);
  t.true(bad > 0);
  t.is(pipeline.deadLetters.size, bad);
  t.is(feed.malformed, bad);
  t.deepEqual([...stats.latest.keys()].sort(), [...expected.keys()].sort());
  for (const [symbol, e] of expected) {
    const got = stats.get(symbol)!;
    t.is(got.count, e.count, symbol);
    t.is(got.volume, e.volume, symbol);
    t.true(Math.abs(got.vwap - e.pv / e.volume) <= 1e-9 * got.vwap, `${symbol} vwap ${got.vwap} vs ${e.pv / e.volume}`);
  }
});

function runDemo(args: string[]): {
  exited: Promise<{ code: number | null; out: string }>;
  child: ReturnType<typeof spawn>;
  firstStatus: Promise<void>;
} {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let onStatus!: () => void;
  const firstStatus = new Promise<void>((r) => (onStatus = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (/^market-data running up /m.test(out)) onStatus();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  return { exited, child, firstStatus };
}

test('demo › `--duration` stops the demo by itself with a summary and exit code 0', async (t) => {
  const state = await mkdtemp(join(tmpdir(), 'sluice-demo-'));
  t.teardown(() => rm(state, { recursive: true, force: true }));
  const { exited } = runDemo(['--duration', '1500ms', '--rate', '50000', '--port', '0', '--state', state]);
  const { code, out } = await exited;
  t.is(code, 0, out);
  t.regex(out, /summary: stopped after/);
  t.regex(out, /dead letters: \d/);
  // The live stats, one line a second off a terminal, end with the demo's own figures.
  t.regex(out, /^market-data running up [\d.]+s in [\d.]+k?\/s \| valid .* \| alerts \d+ \| dead letters [\d,]+ \| candles \d/m);
  t.regex(out, /^Sluice dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
  t.regex(out, /^durable: [1-9]\d* checkpoints stored in .*checkpoints\.db, [1-9]\d* candle files committed in .*candles$/m);
  // The malformed ticks' dead letters are in the state folder too, one JSON line each.
  const dead = Number(/^dead letters: ([\d,]+)/m.exec(out)![1]!.replaceAll(',', ''));
  const lines = (await readFile(join(state, 'dead-letters.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
  t.is(lines.length, dead);
  t.is((JSON.parse(lines[0]!) as { stage: string }).stage, 'valid');
  t.regex(out, /^candles: [1-9][\d,]* \(1s per symbol\), \d+ updates from late ticks, \d+ ticks \([\d,]+ shares\) too late/m);
});

test('demo › SIGTERM drains and exits 0 with a summary', async (t) => {
  const { exited, child, firstStatus } = runDemo(['--rate', '50000', '--no-dashboard', '--no-state']);
  await firstStatus;
  child.kill('SIGTERM');
  const { code, out } = await exited;
  t.is(code, 0, out);
  t.regex(out, /summary: stopped after/);
});

test('demo › a bad argument exits 1 with a message naming it', async (t) => {
  const { exited } = runDemo(['--duration', 'soon']);
  const { code, out } = await exited;
  t.is(code, 1);
  t.regex(out, /duration/);
});

test('demo › says where its dashboard is, and the dashboard serves the page and stats that move', async (t) => {
  const { exited, child, firstStatus } = runDemo(['--rate', '50000', '--port', '0', '--no-state']);
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await firstStatus;
  const url = /^Sluice dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
  t.truthy(url, out);
  const page = await fetch(url!);
  t.is(page.status, 200);
  t.regex(await page.text(), /<html/i);
  const read = async () =>
    ((await (await fetch(`${url!}stats`)).json()) as { sources: { ticks: { records: number } } }).sources.ticks.records;
  const first = await read();
  let later = first;
  for (let i = 0; i < 100 && later <= first; i++) {
    await new Promise((r) => setTimeout(r, 100));
    later = await read();
  }
  t.true(later > first, `ticks read went from ${first} to ${later}`);
  child.kill('SIGTERM');
  const { code } = await exited;
  t.is(code, 0);
});

// The candle lines committed in a state folder, sorted: a multiset to compare runs with.
async function committedCandles(state: string): Promise<string[]> {
  const dir = join(state, 'candles');
  const lines: string[] = [];
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort()) {
    lines.push(...(await readFile(join(dir, f), 'utf8')).split('\n').filter((l) => l !== ''));
  }
  return lines.sort();
}

test('demo › stopped and started again on its state folder, it resumes where the stop left it: every tick read once over the two runs', async (t) => {
  const state = await mkdtemp(join(tmpdir(), 'sluice-resumed-'));
  t.teardown(() => rm(state, { recursive: true, force: true }));
  const args = ['--rate', '100000', '--max-ticks', '250000', '--no-dashboard', '--seed', '11', '--state', state];
  const first = await runDemo([...args, '--duration', '1200ms']).exited;
  t.is(first.code, 0, first.out);
  t.regex(first.out, /1\.2s elapsed: stopping/, 'the first part was stopped before the end of the feed');
  const second = await runDemo(args).exited;
  t.is(second.code, 0, second.out);
  t.regex(second.out, /resumed from checkpoint \d+/);
  const ticks = (out: string) => Number(/^feed\s+([\d,]+) ticks/m.exec(out)![1]!.replaceAll(',', ''));
  t.true(ticks(first.out) > 0 && ticks(second.out) > 0);
  t.is(ticks(first.out) + ticks(second.out), 250_000, 'the second run starts at the tick after the last one the first read');
  t.true((await committedCandles(state)).length > 100);
});

test('demo › killed with SIGKILL after its first checkpoint and started again: its committed candles equal those of an uninterrupted run, line for line', async (t) => {
  const whole = await mkdtemp(join(tmpdir(), 'sluice-whole-'));
  const crashed = await mkdtemp(join(tmpdir(), 'sluice-crashed-'));
  t.teardown(() => Promise.all([whole, crashed].map((d) => rm(d, { recursive: true, force: true }))).then(() => undefined));
  // Unpaced, so batches (and the watermarks they carry) do not depend on timing.
  const args = ['--rate', '0', '--max-ticks', '4000000', '--no-dashboard', '--seed', '3'];
  const reference = await runDemo([...args, '--state', whole]).exited;
  t.is(reference.code, 0, reference.out);

  const first = runDemo([...args, '--state', crashed]);
  const killed = new Promise<NodeJS.Signals | null>((resolve) => first.child.on('exit', (_code, signal) => resolve(signal)));
  // The first candle file appears when the first checkpoint commits: kill right after it.
  for (;;) {
    const files = await readdir(join(crashed, 'candles')).catch(() => [] as string[]);
    if (files.some((f) => f.endsWith('.jsonl'))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  first.child.kill('SIGKILL');
  t.is(await killed, 'SIGKILL', 'killed before the feed ended');
  const before = await committedCandles(crashed);
  t.true(before.length > 0 && before.length < (await committedCandles(whole)).length, 'part of the candles were committed before the kill');

  const resumed = await runDemo([...args, '--state', crashed]).exited;
  t.is(resumed.code, 0, resumed.out);
  t.regex(resumed.out, /resumed from checkpoint \d+/);
  t.deepEqual(await committedCandles(crashed), await committedCandles(whole));
});

test('demo › a state folder made for another feed is refused, naming both', async (t) => {
  const state = await mkdtemp(join(tmpdir(), 'sluice-state-'));
  t.teardown(() => rm(state, { recursive: true, force: true }));
  t.is((await runDemo(['--max-ticks', '1000', '--rate', '0', '--no-dashboard', '--state', state]).exited).code, 0);
  const other = await runDemo(['--max-ticks', '1000', '--rate', '0', '--seed', '5', '--no-dashboard', '--state', state]).exited;
  t.is(other.code, 1);
  t.regex(other.out, /holds a run of the feed with seed 42 and rate 0, not seed 5 and rate 0/);
});
