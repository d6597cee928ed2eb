import { EndOfStreamError, type SourceConnector } from '@sluice/sdk';
import type { OverflowBuffer } from './overflow-buffer.js';

/**
 * @internal The `'<source>:dropped'` output of a push source, run as a source of its own: it reads
 * the records the overflow policy dropped, in the order they were dropped, and ends once the push
 * source's task has finished and every dropped record has been read.
 */
export class DroppedSource implements SourceConnector<unknown> {
  constructor(private readonly buffer: OverflowBuffer) {
    buffer.routeDropped();
  }

  read(max: number): readonly unknown[] | Promise<readonly unknown[]> {
    if (this.buffer.droppedPending > 0) return this.buffer.takeDropped(max);
    if (this.buffer.finished) throw new EndOfStreamError();
    return this.buffer.droppedReadable().then(() => this.read(max));
  }
}
