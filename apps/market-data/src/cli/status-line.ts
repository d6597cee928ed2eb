import type { PipelineStats } from '@sluice/sdk';
import { compact, int } from './format-number.js';

/**
 * Turns successive stats snapshots into one compact line each, e.g.
 * `[  5s] read 1.00M  200.1k/s | alerts 14 | dead 5,012 | candles 250 | fill/max enriched 0/16381 latest-stats 0/2075 … (cap 16384)`
 * (fill now / the most ever held).
 */
export class StatusLine {
  private lastRecords = 0;
  private lastUptime = 0;

  constructor(private readonly source: string) {}

  /** @param candles candles fired so far (updates not included) */
  format(s: PipelineStats, alerts: number, dead: number, candles: number): string {
    const records = s.sources[this.source]?.records ?? 0;
    const dt = (s.uptimeMs - this.lastUptime) / 1000;
    const rate = dt > 0 ? (records - this.lastRecords) / dt : 0;
    this.lastRecords = records;
    this.lastUptime = s.uptimeMs;
    const channels = Object.entries(s.channels);
    const fills = channels.map(([name, c]) => `${name} ${c.fill}/${c.maxFill}`).join(' ');
    const capacities = new Set(channels.map(([, c]) => c.capacity));
    const capacity = capacities.size === 1 ? ` (cap ${[...capacities][0]})` : '';
    const uptime = `${Math.round(s.uptimeMs / 1000)}s`.padStart(4);
    return `[${uptime}] read ${compact(records).padStart(7)} ${`${compact(rate)}/s`.padStart(9)} | alerts ${int(alerts)} | dead ${int(dead)} | candles ${int(candles)} | fill/max ${fills}${capacity}`;
  }
}
