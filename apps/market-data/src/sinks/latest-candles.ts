import { Sink, type SinkConnector, type WindowResult } from '@sluice/sdk';
import type { Candle } from '../model/candle.js';
import { CandleBoard } from './candle-board.js';

/** Keeps the latest candles of every symbol in memory (the {@link CandleBoard}). */
@Sink({ name: 'latest-candles', from: 'candles' })
export class LatestCandles implements SinkConnector<WindowResult<Candle>> {
  constructor(private readonly board: CandleBoard) {}

  write(batch: readonly WindowResult<Candle>[]): void {
    for (const c of batch) this.board.add(c);
  }
}
