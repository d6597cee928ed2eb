import type { Clock } from '@sluice/sdk';
import type { MetricsBus } from '../monitoring/metrics-bus.js';

/** @internal What every task of one pipeline run watches. */
export interface TaskControl {
  /** Sources stop pulling; everything in flight drains (a graceful stop). */
  stopping: boolean;
  /** Everything stops at once; in-flight records are discarded (cancel or failure). */
  cancelled: boolean;
  /** Aborted on cancel or failure; passed to enrich calls and sinks. */
  readonly signal: AbortSignal;
  /** Aborted on stop, cancel or failure; passed to sources so a pending read can end early. */
  readonly stopSignal: AbortSignal;
  /**
   * Fails the pipeline at once: cancels every task before the failing one closes its outputs,
   * so nothing downstream mistakes a failure for the end of input (no sink flush/commit, no
   * end-of-input results over partial data). Also reached when user code swallows the throw.
   */
  fail(error: unknown, task: string): void;
  /** Processing time: when processing-time windows close and timers fire, and idle timeouts. */
  readonly clock: Clock;
  /** The pipeline's event bus: tasks and limiters report changes of state on it (`emitLimitChanged`). */
  readonly events: MetricsBus;
}
