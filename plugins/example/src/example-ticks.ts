import { EndOfStreamError, Inject, Source, type SourceConnector } from '@sluice/sdk';

/** A tick of {@link ExampleTicks}. */
export interface ExampleTick {
  n: number;
  symbol: string;
  price: number;
}

/** Settings of {@link ExampleTicks} (the `settings` of its entry in a pipeline file). */
export interface ExampleTicksSettings {
  /** How many ticks to emit before the end of input; omitted: never ends. */
  count?: number;
}

const SYMBOLS = ['AAPL', 'MSFT', 'XOM', 'IBM'];

/**
 * A rewindable source of synthetic ticks: tick `n` is always the same, so a checkpointed
 * position (the next `n`) is all it needs to resume.
 * @public
 */
@Source({ name: 'ticks' })
export class ExampleTicks implements SourceConnector<ExampleTick> {
  /** The token under which a host binds this class's settings (see docs/plugin-authoring.md). */
  static readonly settings = Symbol.for('@sluice/example-plugin:ExampleTicks.settings');
  private n = 0;
  private readonly count: number;

  constructor(@Inject(ExampleTicks.settings) settings: ExampleTicksSettings) {
    const count = settings.count ?? Infinity;
    if (count !== Infinity && !(Number.isInteger(count) && count >= 0)) {
      throw new TypeError(`ExampleTicks: settings.count must be a non-negative integer, got ${JSON.stringify(count)}`);
    }
    this.count = count;
  }

  read(max: number): ExampleTick[] {
    if (this.n >= this.count) throw new EndOfStreamError();
    const out: ExampleTick[] = [];
    while (out.length < max && this.n < this.count) {
      const n = this.n++;
      out.push({ n, symbol: SYMBOLS[n % SYMBOLS.length]!, price: 100 + (n % 7) });
    }
    return out;
  }

  position(): number {
    return this.n;
  }

  seek(position: unknown): void {
    this.n = position as number;
  }
}
