import { join } from 'node:path';
import { createPipeline, defineSink, type Pipeline } from '@sluice/core';
import { FileSink, JsonLinesDeadLetterSink } from '@sluice/files';
import { SqliteCheckpointStore } from '@sluice/sqlite';
import { PIPELINE_MONITOR, type Duration, type PipelineMonitor } from '@sluice/sdk';
import type { WindowResult } from '@sluice/sdk';
import { FeedCounters } from './feed/feed-counters.js';
import { FEED_OPTIONS, resolveFeedOptions, type FeedOptions } from './feed/feed-options.js';
import { SyntheticFeed } from './feed/synthetic-feed.js';
import { REF_DATA_OPTIONS, type RefDataOptions } from './ref-data/ref-data-options.js';
import { RefDataService } from './ref-data/ref-data-service.js';
import type { Candle } from './model/candle.js';
import { AlertLog } from './sinks/alert-log.js';
import { CandleBoard } from './sinks/candle-board.js';
import { ConsoleAlerts } from './sinks/console-alerts.js';
import { CONSOLE_ALERTS_OPTIONS } from './sinks/console-alerts-options.js';
import { LateTickLog } from './sinks/late-tick-log.js';
import { LateTicks } from './sinks/late-ticks.js';
import { LatestCandles } from './sinks/latest-candles.js';
import { LatestStats } from './sinks/latest-stats.js';
import { StatsBoard } from './sinks/stats-board.js';
import { ALERT_OPTIONS } from './stages/alert-options.js';
import { Candles } from './stages/candles.js';
import { EnrichSector } from './stages/enrich-sector.js';
import { PriceAlerts } from './stages/price-alerts.js';
import { SymbolStats } from './stages/symbol-stats.js';
import { ValidateTicks } from './stages/validate-ticks.js';

/** Options of {@link buildMarketPipeline}; all optional. */
export interface MarketPipelineOptions {
  /** Ticks per second outside bursts (default 200,000); 0 = unpaced, as fast as the pipeline goes. */
  rate?: number;
  /** The feed ends after this many ticks and the pipeline completes by itself (default: unbounded). */
  maxTicks?: number;
  /** PRNG seed of the feed (default 42): the same seed gives the same ticks. */
  seed?: number;
  /** Alert when the rolling z-score of a trade's return is above this (default 6). */
  alertZThreshold?: number;
  /** Prints alert lines, at most `maxAlertsPerSecond` per second (default: print nothing). */
  printAlert?: (line: string) => void;
  /** Default 3. */
  maxAlertsPerSecond?: number;
  /** Called with every candle the `latest-candles` sink receives, updates included, in arrival order. */
  onCandle?: (candle: WindowResult<Candle>) => void;
  /** The rest of the feed's knobs (rates of malformed and late ticks, bursts, jumps, start time). */
  feed?: Omit<FeedOptions, 'rate' | 'maxTicks' | 'seed'>;
  /** Latency and cache lifetime of the simulated reference data. */
  refData?: RefDataOptions;
  /** Cancels the pipeline when aborted (in-flight records are dropped; `run()` rejects). */
  signal?: AbortSignal;
  /** Watch the run: the dashboard server, the terminal table (`@sluice/monitoring`), your own. */
  monitors?: readonly PipelineMonitor[];
  /**
   * Makes the run durable, in this folder: checkpoints every `checkpointInterval` in a SQLite
   * file (`checkpoints.db`, `@sluice/sqlite`), and every candle written exactly once to JSON-lines
   * files under `candles/` (the transactional file sink of `@sluice/files`, committed with each
   * checkpoint), and the malformed ticks' dead letters appended to `dead-letters.jsonl` (for
   * `sluice replay --dead-letters`). A run started on the same folder resumes from its newest checkpoint. Default: no
   * checkpoints, no candle files.
   */
  stateDir?: string;
  /** With `stateDir`: how often to checkpoint (default `'2s'`). */
  checkpointInterval?: Duration;
  /** With `stateDir`: checkpoint messages (a checkpoint skipped at restore, ...). */
  log?: (line: string) => void;
}

/** A built market-data pipeline and handles to what its sinks collect. */
export interface MarketPipeline {
  /** Not started yet: call `run()` (resolves at end of feed or after `stop()`) or `start()` then `stop()`. */
  readonly pipeline: Pipeline;
  /** Latest statistics per symbol (the `latest-stats` sink). */
  readonly stats: StatsBoard;
  /** Alert count and the latest alerts (the `console-alerts` sink). */
  readonly alerts: AlertLog;
  /** The latest one-second candles per symbol, and how many fired and were updated (the `latest-candles` sink). */
  readonly candles: CandleBoard;
  /** Ticks later than their candle's lateness, counted with their volume (the `late-ticks` sink). */
  readonly late: LateTickLog;
  /** What the feed produced, by category (e.g. `feed.malformed` should equal the dead letters). */
  readonly feed: FeedCounters;
  /** With `stateDir`: the candle files' sink (`committedFiles()` lists what is committed). */
  readonly candleFiles: FileSink<WindowResult<Candle>> | undefined;
}

/**
 * Builds the demo pipeline:
 *
 * ```
 * ticks (SyntheticFeed) → valid (ValidateTicks, dead-letters malformed) → enriched (EnrichSector, async ×16)
 *   ├→ symbol-stats (SymbolStats, keyed by symbol) → latest-stats (LatestStats)
 *   ├→ alerts (PriceAlerts) → console-alerts (ConsoleAlerts)
 *   └→ candles (Candles: 1 s event-time windows, keyed by symbol, lateness 100 ms)
 *        ├→ latest-candles (LatestCandles)
 *        └→ candles:late (its late-data output: ticks past the lateness) → late-ticks (LateTicks)
 * ```
 *
 * The feed's watermark trails its latest event time by 50 ms; a candle fires when the watermark
 * passes the end of its second.
 *
 * @example
 * ```ts
 * const { pipeline, stats, alerts, candles, late } = buildMarketPipeline({ rate: 0, maxTicks: 100_000, seed: 7 })
 * await pipeline.run()
 * console.log(stats.get('NVDA')?.vwap, alerts.count, pipeline.deadLetters.size)
 * console.log(candles.latest('NVDA')?.value.close, candles.updates, late.count)
 * ```
 */
export function buildMarketPipeline(options: MarketPipelineOptions = {}): MarketPipeline {
  const feedOptions: FeedOptions = { ...options.feed, rate: options.rate, maxTicks: options.maxTicks, seed: options.seed };
  resolveFeedOptions(feedOptions); // reports a bad option here rather than as a container error
  const stats = new StatsBoard();
  const alerts = new AlertLog();
  const candles = new CandleBoard(options.onCandle);
  const late = new LateTickLog();
  const feed = new FeedCounters();
  const candleFiles =
    options.stateDir === undefined
      ? undefined
      : new FileSink<WindowResult<Candle>>({ dir: join(options.stateDir, 'candles'), name: 'candles' });
  const pipeline = createPipeline({
    name: 'market-data',
    components: [
      SyntheticFeed,
      ValidateTicks,
      EnrichSector,
      SymbolStats,
      PriceAlerts,
      Candles,
      LatestStats,
      ConsoleAlerts,
      LatestCandles,
      LateTicks,
      ...(candleFiles === undefined ? [] : [defineSink({ name: 'candle-files', from: 'candles' }, candleFiles)]),
    ],
    providers: [
      RefDataService,
      { provide: FEED_OPTIONS, useValue: feedOptions },
      { provide: FeedCounters, useValue: feed },
      { provide: REF_DATA_OPTIONS, useValue: options.refData ?? {} },
      { provide: ALERT_OPTIONS, useValue: { zThreshold: options.alertZThreshold } },
      { provide: StatsBoard, useValue: stats },
      { provide: AlertLog, useValue: alerts },
      { provide: CandleBoard, useValue: candles },
      { provide: LateTickLog, useValue: late },
      { provide: CONSOLE_ALERTS_OPTIONS, useValue: { print: options.printAlert, maxPerSecond: options.maxAlertsPerSecond } },
      ...(options.monitors ?? []).map((m) => ({ provide: PIPELINE_MONITOR, useValue: m })),
    ],
    signal: options.signal,
    ...(options.stateDir === undefined
      ? {}
      : {
          deadLetters: new JsonLinesDeadLetterSink(join(options.stateDir, 'dead-letters.jsonl')),
          checkpoints: {
            store: new SqliteCheckpointStore(join(options.stateDir, 'checkpoints.db')),
            interval: options.checkpointInterval ?? '2s',
            log: options.log,
          },
        }),
  });
  return { pipeline, stats, alerts, candles, late, feed, candleFiles };
}
