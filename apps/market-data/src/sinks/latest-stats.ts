import { Sink, type SinkConnector } from '@sluice/sdk';
import type { SymbolSnapshot } from '../model/symbol-snapshot.js';
import { StatsBoard } from './stats-board.js';

/** Keeps the latest statistics of every symbol in memory (the {@link StatsBoard}). */
@Sink({ name: 'latest-stats', from: 'symbol-stats' })
export class LatestStats implements SinkConnector<SymbolSnapshot> {
  constructor(private readonly board: StatsBoard) {}

  write(batch: readonly SymbolSnapshot[]): void {
    for (const s of batch) this.board.update(s);
  }
}
