import type { PipelineStats } from '@sluice/sdk';
import { compactNumber, formatUptime, nodeRates } from './node-rates.js';

/**
 * The live stats as one plain line (no ANSI codes), for logs and pipes: pipeline, state, uptime,
 * records per second read by the sources, then `node in/out` rates per stage and sink, and the
 * bottleneck if there is one.
 *
 * @example
 * ```ts
 * console.log(formatStatsLine(pipeline.stats(), previous, pipeline.name))
 * // demo running up 3.0s in 1.2k/s | positive 1.2k/900 | out 900/900 | bottleneck: out, busy 97%
 * ```
 * @see docs/monitoring.md
 * @public
 */
export function formatStatsLine(current: PipelineStats, previous: PipelineStats | undefined, pipeline: string): string {
  const { nodes, sourceRate } = nodeRates(current, previous);
  const parts = [`${pipeline} ${current.state} up ${formatUptime(current.uptimeMs)} in ${compactNumber(sourceRate)}/s`];
  for (const n of nodes) {
    if (n.role === 'source') continue;
    const errors = n.errors !== undefined && n.errors > 0 ? ` err ${compactNumber(n.errors)}` : '';
    parts.push(`${n.name} ${compactNumber(n.inPerSecond ?? 0)}/${compactNumber(n.outPerSecond)}${errors}`);
  }
  if (current.bottleneck !== undefined) parts.push(current.bottleneck.message);
  return parts.join(' | ');
}

/**
 * The one line written when a run ends: how long it ran, what the sources read, what the sinks
 * wrote, and the errors.
 *
 * @example
 * ```ts
 * formatStatsSummary(pipeline.stats(), 'demo')   // "demo stopped after 12.5s: 1000 records read, 750 written, 0 errors"
 * ```
 * @public
 */
export function formatStatsSummary(stats: PipelineStats, pipeline: string): string {
  const read = Object.values(stats.sources).reduce((n, s) => n + s.records, 0);
  const written = Object.values(stats.sinks).reduce((n, s) => n + s.records, 0);
  const errors =
    Object.values(stats.stages).reduce((n, s) => n + s.errors, 0) + Object.values(stats.sinks).reduce((n, s) => n + (s.errors ?? 0), 0);
  return `${pipeline} ${stats.state} after ${formatUptime(stats.uptimeMs)}: ${read} records read, ${written} written, ${errors} errors`;
}
