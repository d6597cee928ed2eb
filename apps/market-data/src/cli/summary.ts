import type { DeadLetter, PipelineStats } from '@sluice/sdk';
import type { FeedCounters } from '../feed/feed-counters.js';
import type { StatsBoard } from '../sinks/stats-board.js';
import { int } from './format-number.js';

/** What the summary reports on. */
export interface SummaryInput {
  readonly stats: PipelineStats;
  readonly feed: FeedCounters;
  readonly board: StatsBoard;
  readonly deadLetters: number;
  readonly deadLetterExample: DeadLetter | undefined;
}

/** The end-of-run report: totals per source, stage and sink, dead letters, the top 5 symbols by volume. */
export function formatSummary({ stats, feed, board, deadLetters, deadLetterExample }: SummaryInput): string[] {
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
  return lines;
}
