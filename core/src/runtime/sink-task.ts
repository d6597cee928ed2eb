import { ErrorCodes, SluiceError, type SinkConnector } from '@sluice/sdk';
import type { Channel } from './channel.js';
import { recoverFromConnectorError } from './connector-retry.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { SinkCounters } from './sink-counters.js';
import type { TaskControl } from './task-control.js';
import { isThenable } from './timing.js';

/**
 * @internal Writes a channel's batches to a sink, one at a time: while a write is pending the
 * channel fills and its writers wait.
 */
export class SinkTask {
  constructor(
    readonly name: string,
    private readonly label: string,
    private readonly input: Channel,
    private readonly connector: SinkConnector<unknown>,
    private readonly counters: SinkCounters,
    private readonly control: TaskControl,
  ) {}

  async run(): Promise<void> {
    for (;;) {
      const batch = this.input.read();
      if (batch === null) break;
      if (batch === undefined) {
        await this.input.readable();
        continue;
      }
      if (batch.values.length === 0) continue; // a watermark advance only: nothing for a sink
      await this.call(() => this.connector.write(batch.values), 'write');
      if (this.control.cancelled) return;
      this.counters.records += batch.values.length;
      this.counters.batches++;
      this.input.release(batch.values.length);
    }
    if (!this.control.cancelled && this.connector.flush !== undefined) await this.call(() => this.connector.flush!(), 'flush');
  }

  openContext() {
    return { name: this.name, signal: this.control.signal };
  }

  private async call(fn: () => void | Promise<void>, what: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = fn();
        if (isThenable(r)) await r;
        return;
      } catch (err) {
        let retry: boolean;
        try {
          retry = await recoverFromConnectorError(err, attempt, () => this.connector.open?.(this.openContext()), this.control.signal);
        } catch (e) {
          throw new PipelineFailure(
            new SluiceError(
              ErrorCodes.SINK_FAILED,
              `Sink '${this.name}' (${this.label}) failed to ${what}: ${e instanceof Error ? e.message : String(e)}`,
              {
                cause: e,
                details: { sink: this.name },
              },
            ),
          );
        }
        if (!retry) return;
      }
    }
  }
}
