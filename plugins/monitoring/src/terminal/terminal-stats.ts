import { ErrorCodes, SluiceError, type MonitoredPipeline, type PipelineMonitor, type PipelineStats } from '@sluice/sdk';
import { formatStatsLine, formatStatsSummary } from './format-stats-line.js';
import { formatStatsTable } from './format-stats-table.js';

/** The part of a stream the live stats use (`process.stdout` is one). @public */
export interface TerminalStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/**
 * Options of {@link TerminalStats}.
 * @public
 */
export interface TerminalStatsOptions {
  /** Where to write. Default `process.stdout`. */
  readonly stream?: TerminalStream;
  /** How often to write, in ms. Default 1000. */
  readonly intervalMs?: number;
  /** `table`: a table redrawn in place (ANSI); `lines`: one plain line per interval. Default: `table` on a TTY, else `lines`. */
  readonly mode?: 'table' | 'lines';
}

/** Cursor up `n` lines, to column 1. */
const up = (n: number): string => `\x1b[${n}A\r`;
/** Clears from the cursor to the end of the screen. */
const CLEAR_DOWN = '\x1b[J';

/**
 * Live stats in the terminal while a pipeline runs: a compact table redrawn in place every
 * interval (on a TTY), or one plain line per interval (in logs), and a summary line when the run
 * ends. Bind it under `PIPELINE_MONITOR` (the {@link terminalStats} factory does).
 *
 * @example
 * ```ts
 * createPipeline({ modules: [terminalStats({ intervalMs: 500 })], components })
 * ```
 * @see docs/monitoring.md
 * @public
 */
export class TerminalStats implements PipelineMonitor {
  /** Names the monitor in errors. */
  readonly name = '@sluice/monitoring:terminal';
  private readonly stream: TerminalStream;
  private readonly intervalMs: number;
  private readonly mode: 'table' | 'lines';
  private pipeline: MonitoredPipeline | undefined;
  private timer: NodeJS.Timeout | undefined;
  private previous: PipelineStats | undefined;
  private drawnLines = 0;

  /** Validates the options; throws a `SLUICE_ERR_INVALID_OPTION` error naming the option that is wrong. */
  constructor(options: TerminalStatsOptions = {}) {
    const o = options as Record<string, unknown>;
    const stream = (o.stream ?? process.stdout) as TerminalStream;
    if (typeof stream !== 'object' || stream === null || typeof stream.write !== 'function') {
      throw invalid('stream', 'must be a writable stream (an object with write(chunk))');
    }
    const intervalMs = o.intervalMs ?? 1000;
    if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw invalid('intervalMs', `must be a positive number of ms; got ${String(intervalMs)}`);
    }
    const mode = o.mode ?? (stream.isTTY === true ? 'table' : 'lines');
    if (mode !== 'table' && mode !== 'lines') throw invalid('mode', `must be 'table' or 'lines'; got ${JSON.stringify(mode)}`);
    this.stream = stream;
    this.intervalMs = intervalMs;
    this.mode = mode;
  }

  /** Starts writing the stats every interval. */
  attach(pipeline: MonitoredPipeline): void {
    this.pipeline = pipeline;
    this.previous = undefined;
    this.drawnLines = 0;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Writes the last stats and a summary line, and stops. */
  detach(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const pipeline = this.pipeline;
    this.pipeline = undefined;
    if (pipeline === undefined) return;
    const stats = pipeline.stats();
    if (this.mode === 'table') this.draw(stats, pipeline.name);
    this.stream.write(formatStatsSummary(stats, pipeline.name) + '\n');
  }

  /** Writes one update now (the timer calls it every interval). */
  tick(): void {
    const pipeline = this.pipeline;
    if (pipeline === undefined) return;
    const stats = pipeline.stats();
    if (this.mode === 'table') this.draw(stats, pipeline.name);
    else this.stream.write(formatStatsLine(stats, this.previous, pipeline.name) + '\n');
    this.previous = stats;
  }

  private draw(stats: PipelineStats, name: string): void {
    const lines = formatStatsTable(stats, this.previous, { pipeline: name, columns: this.stream.columns, rows: this.stream.rows });
    const rewind = this.drawnLines > 0 ? up(this.drawnLines) + CLEAR_DOWN : '';
    this.stream.write(rewind + lines.join('\n') + '\n');
    this.drawnLines = lines.length;
  }
}

function invalid(option: string, rule: string): SluiceError {
  return new SluiceError(ErrorCodes.INVALID_OPTION, `@sluice/monitoring terminalStats: option "${option}" ${rule}`);
}
