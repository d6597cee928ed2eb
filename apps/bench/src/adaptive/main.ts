/**
 * The adaptive-limiter demo: an enrich stage calls a simulated service whose capacity changes
 * while the pipeline runs, once with a fixed concurrency and once with each adaptive limiter.
 * Prints, second by second, the calls per second the stage got through, its concurrency limit
 * and the mean latency of its calls. Runs on the wall clock.
 *
 * usage: node apps/bench/dist/adaptive/main.js [--phase-seconds S] [--strategy fixed,aimd,gradient]
 */
import { createPipeline, defineSink, SystemClock } from '@sluice/core';
import { EndOfStreamError, Source, Stage, type Enricher, type SourceConnector } from '@sluice/sdk';
import { SimulatedService } from './simulated-service.js';

const MAX_CONCURRENCY = 256;
const BASE_LATENCY_MS = 10;
/** The service's capacity (calls per second) in each phase. */
const PHASES = [2_000, 5_000, 1_000, 4_000];

interface Row {
  second: number;
  capacity: number;
  throughput: number;
  limit: number;
  latencyMs: number;
}

function parseArgs(argv: readonly string[]): { phaseSeconds: number; strategies: string[] } {
  let phaseSeconds = 5;
  let strategies = ['fixed', 'aimd', 'gradient'];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--phase-seconds') phaseSeconds = Number(argv[++i]);
    else if (argv[i] === '--strategy') strategies = (argv[++i] ?? '').split(',');
    else throw new Error(`unknown argument ${argv[i]}; usage: main.js [--phase-seconds S] [--strategy fixed,aimd,gradient]`);
  }
  if (!(phaseSeconds >= 1)) throw new Error('--phase-seconds needs a number >= 1');
  return { phaseSeconds, strategies };
}

async function runOne(strategy: string, phaseSeconds: number): Promise<Row[]> {
  const clock = new SystemClock();
  const service = new SimulatedService(clock, PHASES[0]!, BASE_LATENCY_MS);
  const start = clock.now();
  const end = start + PHASES.length * phaseSeconds * 1000;
  let latencySum = 0;
  let latencyCount = 0;

  @Source({ name: 'requests', batchSize: 256 })
  class Requests implements SourceConnector<number> {
    private n = 0;
    read(max: number): number[] {
      if (clock.now() >= end) throw new EndOfStreamError();
      const out: number[] = [];
      for (let i = 0; i < max; i++) out.push(this.n++);
      return out;
    }
  }

  @Stage({
    name: 'called',
    from: 'requests',
    concurrency: MAX_CONCURRENCY,
    ...(strategy === 'fixed'
      ? {}
      : { concurrencyLimit: strategy === 'aimd' ? { strategy, options: { latencyTarget: BASE_LATENCY_MS * 2 } } : { strategy } }),
  })
  class Call implements Enricher<number, number> {
    async enrich(n: number): Promise<number> {
      const sent = clock.now();
      const r = await service.call(n);
      latencySum += clock.now() - sent;
      latencyCount++;
      return r;
    }
  }

  const pipeline = createPipeline({ components: [Requests, Call, defineSink({ name: 'out', from: 'called' }, { write() {} })], clock });
  const rows: Row[] = [];
  let lastCalls = 0;
  const timer = setInterval(() => {
    const second = Math.round((clock.now() - start) / 1000);
    const stage = pipeline.stats().stages.called!;
    rows.push({
      second,
      capacity: service.capacity,
      throughput: service.calls - lastCalls,
      limit: stage.limit ?? MAX_CONCURRENCY,
      latencyMs: latencyCount === 0 ? 0 : latencySum / latencyCount,
    });
    lastCalls = service.calls;
    latencySum = 0;
    latencyCount = 0;
    service.capacity = PHASES[Math.min(PHASES.length - 1, Math.floor(second / phaseSeconds))]!;
  }, 1000);
  try {
    await pipeline.run();
  } finally {
    clearInterval(timer);
  }
  return rows;
}

const { phaseSeconds, strategies } = parseArgs(process.argv.slice(2));
const results = new Map<string, Row[]>();
for (const s of strategies) results.set(s, await runOne(s, phaseSeconds));

const header = ['second', 'capacity/s', ...strategies.flatMap((s) => [`${s} calls/s`, `${s} limit`, `${s} latency ms`])];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---:').join('|')}|`);
const length = Math.min(...[...results.values()].map((r) => r.length));
for (let i = 0; i < length; i++) {
  const first = results.get(strategies[0]!)![i]!;
  const cells = [String(first.second), String(first.capacity)];
  for (const s of strategies) {
    const r = results.get(s)![i]!;
    cells.push(String(r.throughput), String(Math.round(r.limit)), r.latencyMs.toFixed(1));
  }
  console.log(`| ${cells.join(' | ')} |`);
}
