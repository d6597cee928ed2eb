import test from 'ava';
import { MemoryCheckpointStore, createPipeline, fromArray, toArray } from '@sluice/core';
import {
  OnError,
  Stage,
  type CheckpointCompletedEvent,
  type CheckpointFailedEvent,
  type CheckpointRestoredEvent,
  type CheckpointStartedEvent,
  type DeadLetter,
  type Mapper,
  type StageErrorEvent,
} from '@sluice/sdk';

class Boom extends Error {
  override name = 'Boom';
}

test('events › stage:error reports every failed call with its attempt and the decision; dead-letter sends the letter', async (t) => {
  @Stage({ name: 'picky', from: 'numbers' })
  @OnError({ retry: { attempts: 2, delay: 0 }, then: 'dead-letter' })
  class Picky implements Mapper<number, number> {
    map(n: number) {
      if (n === 2) throw new Boom(`no ${n}`);
      return n;
    }
  }
  const p = createPipeline({
    components: [fromArray([1, 2, 3], { name: 'numbers' }), Picky, toArray([], { name: 'out', from: 'picky' })],
  });
  const errors: StageErrorEvent[] = [];
  const letters: DeadLetter[] = [];
  p.events.on('stage:error', (e) => errors.push(e));
  p.events.on('dead-letter', (d) => letters.push(d));
  await p.run();
  t.deepEqual(
    errors.map((e) => [e.stage, e.error.name, e.error.message, e.attempt, e.decision]),
    [
      ['picky', 'Boom', 'no 2', 1, 'retry'],
      ['picky', 'Boom', 'no 2', 2, 'dead-letter'],
    ],
  );
  t.true(errors.every((e) => typeof e.at === 'number'));
  t.is(letters.length, 1);
  t.like(letters[0], { stage: 'picky', value: 2, attempts: 2, error: { name: 'Boom', message: 'no 2' } });
  t.is(letters[0], p.deadLetters.records()[0]);
});

test("events › stage:error carries 'skip' and 'fail' decisions", async (t) => {
  @Stage({ name: 'lenient', from: 'numbers' })
  @OnError({ then: 'skip' })
  class Lenient implements Mapper<number, number> {
    map(n: number) {
      if (n === 1) throw new Error('skip me');
      return n;
    }
  }
  const skipping = createPipeline({
    components: [fromArray([1, 2], { name: 'numbers' }), Lenient, toArray([], { name: 'out', from: 'lenient' })],
  });
  const seen: string[] = [];
  skipping.events.on('stage:error', (e) => seen.push(`${e.stage}:${e.attempt}:${e.decision}`));
  await skipping.run();

  @Stage({ name: 'strict', from: 'numbers' })
  class Strict implements Mapper<number, number> {
    map(n: number): number {
      throw new Error(`fail on ${n}`);
    }
  }
  const failing = createPipeline({
    components: [fromArray([7], { name: 'numbers' }), Strict, toArray([], { name: 'out', from: 'strict' })],
  });
  failing.events.on('stage:error', (e) => seen.push(`${e.stage}:${e.attempt}:${e.decision}`));
  await t.throwsAsync(failing.run());
  t.deepEqual(seen, ['lenient:1:skip', 'strict:1:fail']);
});

test("events › stage:error says 'open' for a record an open circuit breaker sends to the dead letters", async (t) => {
  @Stage({ name: 'flaky', from: 'numbers' })
  @OnError({ then: 'skip', breaker: { failures: 2, window: '1h', cooldown: '1h', whileOpen: 'dead-letter' } })
  class Flaky implements Mapper<number, number> {
    map(n: number): number {
      throw new Error(`down on ${n}`);
    }
  }
  const p = createPipeline({
    components: [fromArray([1, 2, 3, 4], { name: 'numbers' }), Flaky, toArray([], { name: 'out', from: 'flaky' })],
  });
  const seen: string[] = [];
  p.events.on('stage:error', (e) => seen.push(`${e.attempt}:${e.decision}:${e.error.code ?? e.error.message}`));
  const letters: DeadLetter[] = [];
  p.events.on('dead-letter', (d) => letters.push(d));
  await p.run();
  t.deepEqual(seen, ['1:skip:down on 1', '1:skip:down on 2', '1:open:SLUICE_ERR_CIRCUIT_OPEN', '1:open:SLUICE_ERR_CIRCUIT_OPEN']);
  t.deepEqual(
    letters.map((d) => d.value),
    [3, 4],
  );
});

test('events › checkpoint:started and checkpoint:completed for each checkpoint stored, checkpoint:restored on a restart', async (t) => {
  const store = new MemoryCheckpointStore();
  const build = () =>
    createPipeline({
      name: 'cp',
      components: [fromArray([1, 2, 3], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
      checkpoints: { store, interval: '1h' },
    });
  const first = build();
  const started: CheckpointStartedEvent[] = [];
  const completed: CheckpointCompletedEvent[] = [];
  first.events.on('checkpoint:started', (e) => started.push(e));
  first.events.on('checkpoint:completed', (e) => completed.push(e));
  const stats = await first.run();
  // The final checkpoint of a run that ends.
  t.is(completed.length, stats.checkpoints!.completed);
  t.true(completed.length >= 1);
  const last = completed.at(-1)!;
  t.is(stats.checkpoints!.lastId, last.id);
  t.is(last.sizeBytes, stats.checkpoints!.lastSizeBytes);
  t.true(last.durationMs >= 0);
  t.deepEqual(
    started.map((e) => e.id),
    completed.map((e) => e.id),
  );

  const second = build();
  const restored: CheckpointRestoredEvent[] = [];
  second.events.on('checkpoint:restored', (e) => restored.push(e));
  await second.run();
  t.deepEqual(
    restored.map((e) => e.id),
    [last.id],
  );
});

test('events › checkpoint:failed when the store cannot write a checkpoint', async (t) => {
  class FailingStore extends MemoryCheckpointStore {
    override async write(): Promise<void> {
      throw new Error('disk full');
    }
  }
  const p = createPipeline({
    components: [fromArray([1, 2, 3], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
    checkpoints: { store: new FailingStore(), interval: '1h', log: () => undefined },
  });
  const failed: CheckpointFailedEvent[] = [];
  p.events.on('checkpoint:failed', (e) => failed.push(e));
  // The final checkpoint cannot be stored: the run fails, after reporting it.
  await t.throwsAsync(p.run());
  t.is(failed.length, 1);
  t.like(failed[0], { error: 'disk full' });
  t.is(typeof failed[0]!.id, 'number');
});
