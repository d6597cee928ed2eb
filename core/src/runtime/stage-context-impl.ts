import { ErrorCodes, SluiceError, type KeyedStateAccess, type StageContext, type TimerService } from '@sluice/sdk';
import type { RecordCursor } from './record-cursor.js';

/** @internal One per process stage, re-pointed at each record by the fused loop. */
export class StageContextImpl implements StageContext<unknown> {
  emit: (value: unknown) => void = () => undefined;
  /** The record being processed (for `key`). */
  current: unknown = undefined;
  cursor: RecordCursor = { position: () => -1, time: () => Number.NaN };

  constructor(
    readonly stage: string,
    readonly signal: AbortSignal,
    private readonly keyOf: ((value: unknown) => unknown) | undefined,
  ) {}

  get keyed(): boolean {
    return this.keyOf !== undefined;
  }

  get eventTime(): number | undefined {
    const t = this.cursor.time();
    return Number.isNaN(t) ? undefined : t;
  }

  get position(): number {
    return this.cursor.position();
  }

  get state(): KeyedStateAccess {
    throw this.notKeyed('ctx.state');
  }

  get timers(): TimerService {
    throw this.notKeyed('ctx.timers');
  }

  private notKeyed(what: string): SluiceError {
    return new SluiceError(
      ErrorCodes.STAGE_FAILED,
      `Stage '${this.stage}': ${what} needs a keyed stage; add the option key: (record) => ... to @Stage`,
      {
        details: { stage: this.stage },
      },
    );
  }

  get key(): unknown {
    // No current record during flush(): there is no key then.
    return this.keyOf === undefined || this.current === undefined ? undefined : this.keyOf(this.current);
  }
}
