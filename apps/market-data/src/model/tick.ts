import type { RawTick } from './raw-tick.js';

/** A tick that passed validation: positive finite price, positive integer size. */
export interface Tick extends RawTick {
  readonly price: number;
}
