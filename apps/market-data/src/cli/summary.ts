import type { DeadLetter, PipelineStats, WindowResult } from '@sluice/sdk';
import type { FeedCounters } from '../feed/feed-counters.js';
import type { Candle } from '../model/candle.js';
import type { CandleBoard } from '../sinks/candle-board.js';
import type { LateTickLog } from '../sinks/late-tick-log.js';
import type { StatsBoard } from '../sinks/stats-board.js';
import { int } from './format-number.js';

/** What the summary reports on. */
export interface SummaryInput {
  readonly stats: PipelineStats;
  readonly feed: FeedCounters;
  readonly board: StatsBoard;
  readonly candles: CandleBoard;
  readonly late: LateTickLog;
  readonly deadLetters: number;
  readonly deadLetterExample: DeadLetter | undefined;
}

/**
 * The end-of-run report: totals per source, stage and sink, dead letters, the top 5 symbols by
 * volume, the candles and late ticks, and the top symbol's last complete candle.
 */
export function formatSummary({ stats, feed, board, candles, late, deadLetters, deadLetterExample }: SummaryInput): string[] {
  const lines: string[] = [];
  const num = (n: number, width = 11) => int(n).padStart(width);
  lines.push(`── summary: ${stats.state} after ${(stats.uptimeMs / 1000).toFixed(1)}s ──`);
  lines.push(
    `feed    ${int(feed.generated)} ticks: ${int(feed.malformed)} malformed, ${int(feed.outOfOrder)} late, ` +
      `${int(feed.bursts)} bursts, ${int(feed.jumps)} price jumps` +
      (feed.skippedMs > 0 ? `; pacing fell behind by ${int(feed.skippedMs)} ms in all (downstream too slow)` : ''),
  );
  for (const [name, s] of Object.entries(stats.sources)) {
    lines.push(
      `source  ${name.padEnd(15)} ${'source'.padEnd(10)}${num(s.records)} read  in ${int(s.batches)} batches, paused ${int(s.pausedCount)}× (${int(s.pausedMs)} ms)`,
    );
  }
  for (const [name, s] of Object.entries(stats.stages)) {
    const extra = [
      s.errors > 0 ? `${int(s.errors)} errors` : '',
      s.deadLettered > 0 ? `${int(s.deadLettered)} dead-lettered` : '',
      s.skipped > 0 ? `${int(s.skipped)} skipped` : '',
      s.kind === 'enrich' ? `max ${s.maxInFlight} in flight` : '',
    ].filter((x) => x !== '');
    lines.push(
      `stage   ${name.padEnd(15)} ${s.kind.padEnd(10)}${num(s.recordsOut)} out${extra.length > 0 ? `   ${extra.join(', ')}` : ''}`,
    );
  }
  for (const [name, s] of Object.entries(stats.sinks)) {
    lines.push(`sink    ${name.padEnd(15)} ${'sink'.padEnd(10)}${num(s.records)} written in ${int(s.batches)} batches`);
  }
  for (const [name, c] of Object.entries(stats.channels)) {
    lines.push(
      `channel ${name.padEnd(15)} max fill ${int(c.maxFill)}/${int(c.capacity)}, ${int(c.blockedWrites)} blocked writes (${int(c.blockedMs)} ms)`,
    );
  }
  const example = deadLetterExample === undefined ? '' : `, e.g. [${deadLetterExample.stage}] ${deadLetterExample.error.message}`;
  lines.push(`dead letters: ${int(deadLetters)}${example}`);
  const top = board.topByVolume(5);
  lines.push(top.length === 0 ? 'top symbols by volume: none traded' : 'top 5 symbols by volume:');
  for (const s of top) {
    lines.push(
      `  ${s.symbol.padEnd(6)} ${s.sector.padEnd(23)} volume ${int(s.volume).padStart(13)}  VWAP ${s.vwap.toFixed(2).padStart(8)}` +
        `  low ${s.low.toFixed(2)} high ${s.high.toFixed(2)}  ${int(s.count)} trades`,
    );
  }
  lines.push(
    `candles: ${int(candles.candles)} (1s per symbol), ${int(candles.updates)} updates from late ticks, ` +
      `${int(late.count)} ticks (${int(late.volume)} shares) too late for any candle went to candles:late`,
  );
  const last = top[0] === undefined ? undefined : lastCompleteCandle(candles, top[0].symbol, top[0].lastTs);
  if (last !== undefined) {
    const { open, high, low, close, volume, vwap, count } = last.value;
    lines.push(
      `  last complete candle of ${last.value.symbol}: ${clock(last.start)}–${clock(last.end)} UTC  ` +
        `O ${open.toFixed(2)} H ${high.toFixed(2)} L ${low.toFixed(2)} C ${close.toFixed(2)}  ` +
        `volume ${int(volume)}  VWAP ${vwap.toFixed(2)}  ${int(count)} trades${last.update ? ' (updated)' : ''}`,
    );
  }
  return lines;
}

/**
 * The newest candle of `symbol` whose window the feed had passed: at the end of a run the
 * window still open is flushed with only part of its second, which would mislead.
 */
function lastCompleteCandle(candles: CandleBoard, symbol: string, lastTs: number): WindowResult<Candle> | undefined {
  return candles.recent(symbol).findLast((c) => c.end <= lastTs);
}

/** Ms since the epoch → `14:30:05` (UTC). */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
