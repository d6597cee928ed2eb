import type { PipelineStats } from '@sluice/sdk';
import { compactNumber, formatUptime, nodeRates, type NodeRates } from './node-rates.js';

/**
 * Options of {@link formatStatsTable}.
 * @public
 */
export interface StatsTableOptions {
  /** The pipeline's name, for the header. */
  readonly pipeline: string;
  /** The terminal's width: every line is cut to it. Default 80. */
  readonly columns?: number;
  /** The terminal's height: the table keeps to it (a last line tells how many rows were left out). */
  readonly rows?: number;
}

const HEAD = ['node', 'in/s', 'out/s', 'p99 ms', 'queue', 'errors'] as const;

/**
 * The live stats table, as lines without ANSI codes: a header (pipeline, state, uptime, records
 * per second read by the sources, the bottleneck if there is one), the column titles, and one row
 * per source, stage and sink with its rates (from this snapshot and the previous one), p99
 * latency, queue fill and errors. Pure, so that it can be tested and reused.
 *
 * @example
 * ```ts
 * const lines = formatStatsTable(pipeline.stats(), previous, { pipeline: pipeline.name, columns: 100 })
 * ```
 * @see docs/monitoring.md
 * @public
 */
export function formatStatsTable(current: PipelineStats, previous: PipelineStats | undefined, options: StatsTableOptions): string[] {
  const columns = Math.max(20, options.columns ?? 80);
  const { nodes, sourceRate } = nodeRates(current, previous);
  const header = [
    options.pipeline,
    current.state,
    `up ${formatUptime(current.uptimeMs)}`,
    `${compactNumber(sourceRate)} rec/s in`,
    ...(current.bottleneck !== undefined ? [current.bottleneck.message] : []),
  ].join('  ');
  const cells = nodes.map(row);
  const nameWidth = Math.min(Math.max(HEAD[0].length, ...cells.map((c) => (c[0] ?? '').length)), 28);
  const widths = [nameWidth, 8, 8, 8, 6, 7];
  const format = (c: readonly string[]): string =>
    c.map((v, i) => (i === 0 ? fit(v, nameWidth).padEnd(nameWidth) : v.padStart(widths[i] ?? 0))).join(' ');
  let body = cells.map(format);
  if (options.rows !== undefined) {
    const room = Math.max(1, options.rows - 3); // header, titles, and the line the cursor rests on
    if (body.length > room) {
      const shown = Math.max(0, room - 1);
      body = [...body.slice(0, shown), `… ${body.length - shown} more`];
    }
  }
  return [header, format(HEAD), ...body].map((line) => fit(line, columns));
}

function row(n: NodeRates): string[] {
  return [
    n.name,
    n.inPerSecond === undefined ? '-' : compactNumber(n.inPerSecond),
    compactNumber(n.outPerSecond),
    n.p99Ms === undefined ? '-' : n.p99Ms < 10 ? n.p99Ms.toFixed(2) : compactNumber(n.p99Ms),
    n.queueFill === undefined ? '-' : `${Math.round(n.queueFill * 100)}%`,
    n.errors === undefined ? '-' : compactNumber(n.errors),
  ];
}

/** Cuts a line to `width` characters, marking the cut with `…`. */
function fit(line: string, width: number): string {
  return line.length <= width ? line : line.slice(0, width - 1) + '…';
}
