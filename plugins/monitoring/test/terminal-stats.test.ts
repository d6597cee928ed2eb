import test from 'ava';
import { PIPELINE_MONITOR, type PipelineStats } from '@sluice/sdk';
import { TerminalStats, formatStatsLine, formatStatsSummary, formatStatsTable, terminalStats } from '@sluice/monitoring';
import { smallPipeline } from './helpers.js';

const ESC = '\x1b';

function snapshot(uptimeMs: number, n: number): PipelineStats {
  return {
    state: 'running',
    uptimeMs,
    bottleneck: { node: 'enrich', role: 'stage', busyPercent: 97, evidence: 'queue-full', message: 'bottleneck: enrich, busy 97%' },
    sources: {
      ticks: { records: n, batches: 1, pausedCount: 0, pausedMs: 0, backPressuredTimeMsPerSecond: 0, deadLettered: 0, skipped: 0 },
    },
    stages: {
      enrich: {
        kind: 'enrich',
        recordsIn: n,
        recordsOut: n / 2,
        errors: 3,
        retries: 0,
        skipped: 0,
        deadLettered: 0,
        backpressuredMs: 0,
        backPressuredTimeMsPerSecond: 0,
        inFlight: 0,
        maxInFlight: 0,
        queueFill: 0.5,
        latency: { count: 1, sumMs: 1, windowCount: 1, windowMs: 60_000, p50: 1, p90: 2, p99: 4.5, p999: 5, max: 5 },
      },
    },
    sinks: { out: { records: n / 2, batches: 1 } },
    channels: {},
  };
}

/** A fake terminal that records what is written. */
function fakeStream(tty: boolean, columns = 100, rows = 40) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY: tty, columns, rows, write: (c: string) => chunks.push(c) } };
}

test('formatStatsTable › a header with state, uptime, source rate and bottleneck, then one row per node with rates from two snapshots', (t) => {
  const lines = formatStatsTable(snapshot(2000, 1000), snapshot(1000, 0), { pipeline: 'demo', columns: 100 });
  t.is(lines[0], 'demo  running  up 2.0s  1000 rec/s in  bottleneck: enrich, busy 97%');
  t.regex(lines[1]!, /^node\s+in\/s\s+out\/s\s+p99 ms\s+queue\s+errors$/);
  t.deepEqual(
    lines.slice(2).map((l) => l.trim().split(/\s+/)),
    [
      ['ticks', '-', '1000', '-', '-', '-'],
      ['enrich', '1000', '500', '4.50', '50%', '3'],
      ['out', '500', '500', '-', '-', '-'],
    ],
  );
  t.false(lines.join('').includes(ESC), 'no ANSI codes');
});

test('formatStatsTable › keeps to the terminal: lines cut to its columns, rows left out beyond its height', (t) => {
  const s = snapshot(2000, 1000);
  const many: PipelineStats = { ...s, stages: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`stage-${i}`, s.stages.enrich!])) };
  const lines = formatStatsTable(many, undefined, { pipeline: 'demo', columns: 30, rows: 10 });
  t.true(lines.every((l) => l.length <= 30));
  t.true(lines[0]!.endsWith('…'));
  t.true(lines.length <= 10 - 1);
  t.regex(lines.at(-1)!, /^… \d+ more$/);
});

test('formatStatsLine and formatStatsSummary › plain lines', (t) => {
  t.is(
    formatStatsLine(snapshot(2000, 1000), snapshot(1000, 0), 'demo'),
    'demo running up 2.0s in 1000/s | enrich 1000/500 err 3 | out 500/500 | bottleneck: enrich, busy 97%',
  );
  t.is(
    formatStatsSummary({ ...snapshot(12_500, 1000), state: 'stopped' }, 'demo'),
    'demo stopped after 12.5s: 1000 records read, 500 written, 3 errors',
  );
});

test('TerminalStats › table mode on a TTY redraws in place: cursor up over the previous table, clear, then the new one', (t) => {
  const { chunks, stream } = fakeStream(true);
  const { pipeline } = smallPipeline([]);
  const monitor = new TerminalStats({ stream, intervalMs: 60_000 });
  monitor.attach(pipeline);
  monitor.tick();
  monitor.tick();
  monitor.detach();
  t.is(chunks.length, 4, 'two ticks, the last table and the summary');
  t.false(chunks[0]!.includes(ESC), 'the first table is drawn where the cursor is');
  const drawn = chunks[0]!.split('\n').length - 1;
  t.true(chunks[1]!.startsWith(`${ESC}[${drawn}A\r${ESC}[J`), JSON.stringify(chunks[1]!.slice(0, 12)));
  t.true(chunks[2]!.startsWith(`${ESC}[`));
  t.regex(chunks[3]!, /^demo created after .*: 0 records read, 0 written, 0 errors\n$/);
});

test('TerminalStats › lines mode (the default off a TTY) writes one plain line per interval and a summary', async (t) => {
  const { chunks, stream } = fakeStream(false);
  const mod = terminalStats({ stream, intervalMs: 60_000 });
  t.is(mod.providers[0].provide, PIPELINE_MONITOR);
  const { pipeline } = smallPipeline([mod]);
  await pipeline.run();
  t.is(chunks.length, 1, 'the summary (the run was shorter than the interval)');
  t.is(chunks[0], 'demo stopped after ' + chunks[0]!.split('after ')[1]);
  t.regex(chunks[0]!, /: 1000 records read, 750 written, 0 errors\n$/);
  mod.monitor.attach(pipeline);
  mod.monitor.tick();
  mod.monitor.detach();
  t.regex(chunks[1]!, /^demo stopped up [\d.]+s in [\d.]+[kMG]?\/s \| positive .* \| doubled .* \| out .*\n$/);
  t.false(chunks.join('').includes(ESC));
});

test('TerminalStats › refuses bad options with a message naming the option', (t) => {
  t.throws(() => new TerminalStats({ intervalMs: 0 }), { message: /option "intervalMs"/ });
  t.throws(() => new TerminalStats({ mode: 'fancy' as never }), { message: /option "mode"/ });
  t.throws(() => new TerminalStats({ stream: {} as never }), { message: /option "stream"/ });
});
