// file: docs/examples/monitoring.test.ts
import { readFileSync } from 'node:fs';
import test from 'ava';
import { main } from './monitoring.js';

test('monitoring › the engine names the slow enrich stage as the bottleneck, and /metrics shows the flow', async (t) => {
  const lines: string[] = [];
  const got = await main((line) => lines.push(line));
  t.regex(lines[0]!, /^Sluice dashboard: http:\/\/127\.0\.0\.1:\d+\/$/);
  t.is(got.bottleneck.node, 'priced');
  t.regex(got.bottleneck.message, /^bottleneck: priced, busy \d+%$/);
  t.deepEqual(got.lifecycle, ['starting', 'running', 'draining', 'stopped']);
  t.is(got.last.state, 'stopped', 'the last stats event is the final snapshot');
  t.is(got.last.sinks.ledger!.records, got.written);
  const out = /^sluice_stage_records_out_total\{pipeline="orders",stage="priced"\} (\d+)$/m.exec(got.metrics);
  t.truthy(out, 'the priced stage has its records counter');
  t.true(Number(out![1]) > 0);
  t.regex(got.metrics, /^sluice_bottleneck\{pipeline="orders",node="priced"\} 1$/m);
  t.regex(got.metrics, /^sluice_sink_end_to_end_latency_seconds\{pipeline="orders",sink="ledger",quantile="0.99"\} [\d.e-]+$/m);
});

test('monitoring › monitoring.md names every metric family that /metrics writes', async (t) => {
  const page = readFileSync(new URL('../../docs/monitoring.md', import.meta.url), 'utf8');
  const { metrics } = await main(() => undefined);
  const families = [...metrics.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
  t.true(families.length > 20);
  for (const f of families) t.true(page.includes(`\`${f}`), `docs/monitoring.md does not describe ${f}`);
});
