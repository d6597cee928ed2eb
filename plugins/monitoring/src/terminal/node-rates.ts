import type { PipelineStats } from '@sluice/sdk';

/** One row of the live stats: a source, stage or sink with its rates over the last interval. */
export interface NodeRates {
  readonly name: string;
  readonly role: 'source' | 'stage' | 'sink';
  /** Records per second in (undefined for a source). */
  readonly inPerSecond: number | undefined;
  /** Records per second out (a sink: written). */
  readonly outPerSecond: number;
  /** p99 latency in ms, when measured. */
  readonly p99Ms: number | undefined;
  /** Queue fill, 0–1, when the node has a queue. */
  readonly queueFill: number | undefined;
  /** Errors since the start (undefined when the node does not count them). */
  readonly errors: number | undefined;
}

/**
 * Rates from two consecutive snapshots (or, without a previous one, averaged since the start),
 * per node in the order sources, stages, sinks; and the records per second read by the sources.
 */
export function nodeRates(current: PipelineStats, previous: PipelineStats | undefined): { nodes: NodeRates[]; sourceRate: number } {
  const usePrevious = previous !== undefined && current.uptimeMs > previous.uptimeMs;
  const seconds = (usePrevious ? current.uptimeMs - previous.uptimeMs : current.uptimeMs) / 1000;
  const rate = (now: number, before: number | undefined): number => {
    if (seconds <= 0) return 0;
    return Math.max(0, now - (usePrevious ? (before ?? 0) : 0)) / seconds;
  };
  const nodes: NodeRates[] = [];
  let sourceRate = 0;
  for (const [name, s] of Object.entries(current.sources)) {
    const r = rate(s.records, previous?.sources[name]?.records);
    sourceRate += r;
    nodes.push({
      name,
      role: 'source',
      inPerSecond: undefined,
      outPerSecond: r,
      p99Ms: undefined,
      queueFill: undefined,
      errors: undefined,
    });
  }
  for (const [name, s] of Object.entries(current.stages)) {
    const before = previous?.stages[name];
    nodes.push({
      name,
      role: 'stage',
      inPerSecond: rate(s.recordsIn, before?.recordsIn),
      outPerSecond: rate(s.recordsOut, before?.recordsOut),
      p99Ms: s.latency?.p99,
      queueFill: s.queueFill,
      errors: s.errors,
    });
  }
  for (const [name, s] of Object.entries(current.sinks)) {
    const r = rate(s.records, previous?.sinks[name]?.records);
    nodes.push({ name, role: 'sink', inPerSecond: r, outPerSecond: r, p99Ms: s.latency?.p99, queueFill: s.queueFill, errors: s.errors });
  }
  return { nodes, sourceRate };
}

/** `950`, `12.3k`, `4.5M`; small rates keep a decimal. */
export function compactNumber(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (n >= 100 || Number.isInteger(n)) return Math.round(n).toString();
  return n.toFixed(1);
}

/** `12.5s`, `3m05s`, `2h03m`. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
