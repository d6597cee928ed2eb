import { SluiceError, type DeadLetter, type PipelineMonitor } from '@sluice/sdk';
import { buildMarketPipeline } from './build-market-pipeline.js';
import { int } from './cli/format-number.js';
import { parseArgs, USAGE, type CliArgs } from './cli/parse-args.js';
import { MonitoringServer, TerminalStats } from '@sluice/monitoring';
import { portOrAnyFree } from './cli/port-or-any-free.js';
import { formatSummary } from './cli/summary.js';
import { DEFAULT_RATE, DEFAULT_SEED } from './feed/feed-options.js';
import { stateDir } from './cli/state-dir.js';

/** How long a graceful stop may take before the run is cancelled. */
const DRAIN_DEADLINE_MS = 10_000;

/**
 * The demo: runs the market-data pipeline on the synthetic feed, prints a status line per
 * second, and on Ctrl-C / SIGTERM or when `--duration` has elapsed stops gracefully (in-flight
 * records drain) and prints a summary. A second Ctrl-C cancels without draining.
 * Exit code 0 on a clean stop, 1 on failure.
 */
async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`market-data: ${messageOf(err)}\n\n${USAGE}`);
    return 1;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  const abort = new AbortController();
  // Dead letters are counted and released every second, so a long run does not hold millions.
  let deadLetters = 0;
  let example: DeadLetter | undefined;
  // The live table (redrawn in place on a terminal, one line per second in a log), with the
  // demo's own figures as its last line; alerts are written above it.
  let footer = () => '';
  const terminal = new TerminalStats({ footer: () => footer() });
  const monitors: PipelineMonitor[] = [terminal];
  if (args.dashboard) {
    const port = await portOrAnyFree(args.port);
    if (port !== args.port) terminal.log(`port ${args.port} is taken: the dashboard takes a free port`);
    monitors.push(new MonitoringServer({ port, log: (line) => terminal.log(line) }));
  }
  let state: string | undefined;
  try {
    state =
      args.state === undefined ? undefined : stateDir(args.state, { seed: args.seed ?? DEFAULT_SEED, rate: args.rate ?? DEFAULT_RATE });
  } catch (err) {
    console.error(`market-data: ${messageOf(err)}`);
    return 1;
  }
  const {
    pipeline,
    stats: board,
    alerts,
    candles,
    late,
    feed,
    candleFiles,
  } = buildMarketPipeline({
    rate: args.rate,
    seed: args.seed,
    maxTicks: args.maxTicks,
    printAlert: (line) => terminal.log(line),
    signal: abort.signal,
    monitors,
    stateDir: state,
    log: (line) => terminal.log(line),
  });

  const collectDeadLetters = () => {
    for (const dl of pipeline.deadLetters.drain()) {
      deadLetters++;
      example ??= dl;
    }
  };

  let stopRequested = false;
  let drainTimer: NodeJS.Timeout | undefined;
  const stop = (why: string) => {
    if (stopRequested) return;
    stopRequested = true;
    terminal.log(`${why}: stopping, draining in-flight records…`);
    // A failed drain is reported by run() below.
    pipeline.stop().catch(() => undefined);
    // The drain moves at most a few channels' worth of records; if it has not ended by the
    // deadline something is stuck: cancel, and run() reports the failure.
    drainTimer = setTimeout(() => {
      console.error(`the drain did not finish within ${DRAIN_DEADLINE_MS / 1000}s: cancelling`);
      abort.abort(new Error(`drain did not finish within ${DRAIN_DEADLINE_MS / 1000}s`));
    }, DRAIN_DEADLINE_MS);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopRequested) return stop(signal);
    terminal.log(`${signal} again: cancelling without draining`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const rate = args.rate === undefined ? `${int(DEFAULT_RATE)} ticks/s` : args.rate === 0 ? 'unpaced' : `${int(args.rate)} ticks/s`;
  const until =
    args.durationMs !== undefined
      ? `for ${args.durationMs / 1000}s`
      : args.maxTicks !== undefined
        ? `for ${int(args.maxTicks)} ticks`
        : 'until Ctrl-C';
  footer = () => {
    collectDeadLetters();
    return `alerts ${int(alerts.count)} | dead letters ${int(deadLetters)} | candles ${int(candles.candles)}`;
  };
  let durationTimer: NodeJS.Timeout | undefined;
  let failure: unknown;
  try {
    await pipeline.start();
    const segments = Object.entries(pipeline.segments())
      .map(([task, stages]) => `${task} → [${stages.join(', ')}]`)
      .join('; ');
    terminal.log(`market-data: ${rate}, ${until}  (segments: ${segments})`);
    if (state !== undefined) {
      const restored = pipeline.stats().checkpoints?.restoredFrom;
      terminal.log(
        `state: ${state} (checkpoints every 2s in checkpoints.db, candles in candles/, dead letters in dead-letters.jsonl)` +
          (restored === undefined ? '' : `; resumed from checkpoint ${restored}`),
      );
    }
    if (args.durationMs !== undefined) durationTimer = setTimeout(() => stop(`${args.durationMs! / 1000}s elapsed`), args.durationMs);
    await pipeline.run();
  } catch (err) {
    failure = err;
  } finally {
    clearTimeout(durationTimer);
    clearTimeout(drainTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  collectDeadLetters();

  if (failure !== undefined) {
    console.error(`market-data failed: ${messageOf(failure)}`);
    return 1;
  }
  const summary = formatSummary({ stats: pipeline.stats(), feed, board, candles, late, deadLetters, deadLetterExample: example });
  for (const line of summary) console.log(line);
  const checkpoints = pipeline.stats().checkpoints;
  if (state !== undefined && checkpoints !== undefined) {
    console.log(
      `durable: ${checkpoints.completed} checkpoints stored in ${state}/checkpoints.db` +
        `${checkpoints.restoredFrom === undefined ? '' : ` (resumed from checkpoint ${checkpoints.restoredFrom})`}, ` +
        `${candleFiles?.committedFiles().length ?? 0} candle files committed in ${state}/candles`,
    );
  }
  return 0;
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = SluiceError.is(err) ? ` [${err.code}]` : '';
  const cause = err.cause instanceof Error && !err.message.includes(err.cause.message) ? ` (cause: ${err.cause.message})` : '';
  return `${err.message}${code}${cause}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`market-data failed: ${messageOf(err)}`);
    process.exitCode = 1;
  },
);
