import { defineSource, type SourceDefinition } from '@sluice/core';
import { EndOfStreamError, type Clock, type SourceConnector } from '@sluice/sdk';

/**
 * A source that emits each value at its time on the clock, one per read: records that arrive
 * over time. `reads`, if given, gets the clock time of each read that returned a record.
 */
export function timedSource<T>(
  name: string,
  clock: Clock,
  items: readonly (readonly [time: number, value: T])[],
  reads: number[] = [],
): SourceDefinition<T> {
  let next = 0;
  const connector: SourceConnector<T> = {
    read(): readonly T[] | Promise<readonly T[]> {
      const item = items[next];
      if (item === undefined) throw new EndOfStreamError();
      const [time, value] = item;
      next++;
      if (time <= clock.now()) {
        reads.push(clock.now());
        return [value];
      }
      return new Promise((resolve) =>
        clock.schedule(time, () => {
          reads.push(clock.now());
          resolve([value]);
        }),
      );
    },
  };
  return defineSource({ name, batchSize: 1 }, connector);
}
