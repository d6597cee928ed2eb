import type { Tick } from './tick.js';

/** A valid tick with its instrument's sector from the reference data. */
export interface RichTick extends Tick {
  readonly sector: string;
}
