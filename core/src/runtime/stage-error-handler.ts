import { ErrorCodes, SluiceError } from '@sluice/sdk';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { StageCounters } from './stage-counters.js';

/** @internal Applies a stage's `@OnError` policy to a record on which the stage threw. */
export class StageErrorHandler {
  constructor(
    private readonly stage: string,
    private readonly label: string,
    private readonly policy: 'dead-letter' | 'skip' | 'fail',
    private readonly counters: StageCounters,
    private readonly deadLetters: DeadLetterQueue,
    private readonly fail: (error: SluiceError) => void,
  ) {}

  handle(err: unknown, value: unknown, position: number, eventTime: number): void {
    if (err instanceof PipelineFailure) throw err;
    this.counters.errors++;
    if (this.policy === 'skip') {
      this.counters.skipped++;
      return;
    }
    if (this.policy === 'dead-letter') {
      this.counters.deadLettered++;
      const e = err instanceof Error ? err : new Error(String(err));
      this.deadLetters.add({
        stage: this.stage,
        value,
        position,
        eventTime: Number.isNaN(eventTime) ? undefined : eventTime,
        error: { name: e.name, message: e.message, stack: e.stack, ...(SluiceError.is(e) ? { code: e.code } : {}) },
        attempts: 1,
        time: Date.now(),
      });
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    const where = position >= 0 ? `the record at position ${position} of its source` : 'end of input';
    const failure = new PipelineFailure(
      new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Stage '${this.stage}' (${this.label}) failed on ${where}: ${message}. Add @OnError({ then: 'dead-letter' }) or 'skip' to keep going past such records`,
        { cause: err, details: { stage: this.stage, class: this.label, position, value: preview(value) } },
      ),
    );
    // Cancel now: even if user code between here and the task catches the throw, the run fails.
    this.fail(failure.error);
    throw failure;
  }
}

function preview(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(value);
  }
}
