import { Stage, type Filter } from '@sluice/sdk';
import type { ExampleTick } from './example-ticks.js';

/** Keeps the ticks with an even `n`: a stage with no settings, configured by its decorator alone. @public */
@Stage({ name: 'even', from: 'ticks' })
export class EvenTicks implements Filter<ExampleTick> {
  filter(t: ExampleTick): boolean {
    return t.n % 2 === 0;
  }
}
