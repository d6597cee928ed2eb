import test from 'ava';
import { createPipeline, fromGenerator, toCallback } from '@sluice/core';
import { Stage, type Mapper } from '@sluice/sdk';

@Stage({ name: 'doubled', from: 'numbers' })
class Doubled implements Mapper<number, number> {
  map(n: number) {
    return n * 2;
  }
}

test('backpressure › a slow sink pauses the source; no channel ever holds more than its capacity', async (t) => {
  const total = 1_000_000;
  const capacity = 8192;
  let received = 0;
  let sum = 0;
  let produced = 0;
  const p = createPipeline({
    components: [
      fromGenerator(
        function* () {
          for (let i = 0; i < total; i++) {
            produced++;
            yield i;
          }
        },
        { name: 'numbers' },
      ),
      Doubled,
      toCallback<number>(
        async (batch) => {
          // Produced minus received: what the pipeline holds between source and sink.
          t.true(produced - received <= capacity + 1024 * 2, `held ${produced - received}`);
          received += batch.length;
          for (const n of batch) sum += n;
          await new Promise((r) => setTimeout(r, 0));
        },
        { name: 'slow', from: 'doubled' },
      ),
    ],
    channelCapacity: capacity,
  });
  const stats = await p.run();
  t.is(received, total);
  t.is(sum, total * (total - 1));
  const channel = stats.channels.slow!;
  t.is(channel.capacity, capacity);
  t.true(channel.maxFill <= capacity, `maxFill ${channel.maxFill}`);
  t.true(channel.blockedWrites > 0);
  t.true(stats.sources.numbers!.pausedCount > 0);
  t.is(stats.sources.numbers!.records, total);
  t.is(channel.fill, 0);
});
