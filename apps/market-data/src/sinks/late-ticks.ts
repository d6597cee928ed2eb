import { Sink, type SinkConnector } from '@sluice/sdk';
import type { RichTick } from '../model/rich-tick.js';
import { LateTickLog } from './late-tick-log.js';

/**
 * Reads the candle stage's late-data output: ticks that arrived after their window's allowed
 * lateness, which no candle includes. Counts them (into the {@link LateTickLog}) so that volume
 * is accounted for rather than lost unseen.
 */
@Sink({ name: 'late-ticks', from: 'candles:late' })
export class LateTicks implements SinkConnector<RichTick> {
  constructor(private readonly log: LateTickLog) {}

  write(batch: readonly RichTick[]): void {
    for (const t of batch) this.log.add(t);
  }
}
