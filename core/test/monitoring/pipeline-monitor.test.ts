import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import {
  ErrorCodes,
  PIPELINE_MONITOR,
  SluiceError,
  Stage,
  Window,
  type Aggregator,
  type Filter,
  type LifecycleEvent,
  type Mapper,
  type MonitoredPipeline,
  type PipelineMonitor,
} from '@sluice/sdk';

@Stage({ name: 'positive', from: 'numbers' })
class Positive implements Filter<number> {
  filter(n: number) {
    return n > 0;
  }
}

@Stage({ name: 'doubled', from: 'positive' })
class Doubled implements Mapper<number, number> {
  map(n: number) {
    return n * 2;
  }
}

test('graph › lists every node with its role, kind and segment, and one edge per input (fan-out and union)', (t) => {
  const a: number[] = [];
  const b: number[] = [];
  @Stage({ name: 'merged', from: ['positive', 'doubled'] })
  class Merged implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  const pipeline = createPipeline({
    components: [
      fromArray([1, -2, 3], { name: 'numbers' }),
      Positive,
      Doubled,
      Merged,
      toArray(a, { name: 'a', from: 'merged' }),
      toArray(b, { name: 'b', from: 'doubled' }),
    ],
  });
  const g = pipeline.graph();
  t.deepEqual(
    g.nodes.map((n) => [n.name, n.role, n.kind]),
    [
      ['numbers', 'source', 'source'],
      ['positive', 'stage', 'filter'],
      ['doubled', 'stage', 'map'],
      ['merged', 'stage', 'map'],
      ['a', 'sink', 'sink'],
      ['b', 'sink', 'sink'],
    ],
  );
  t.is(g.nodes.find((n) => n.name === 'positive')!.segment, 'numbers', 'a stage fused into the source loop runs in its segment');
  t.is(g.nodes.find((n) => n.name === 'merged')!.segment, 'merged', 'a union starts its own segment');
  t.deepEqual(
    g.edges.map((e) => `${e.from}->${e.to}`).sort(),
    ['doubled->b', 'doubled->merged', 'numbers->positive', 'positive->doubled', 'positive->merged', 'merged->a'].sort(),
  );
});

test("graph › a window's late output is an edge from the window stage marked 'late', not a node", (t) => {
  @Stage({ name: 'sums', from: 'numbers', key: () => 'k' })
  @Window({ tumbling: '10ms', time: 'event', lateness: 0 })
  class Sums implements Aggregator<number, number, number> {
    create() {
      return 0;
    }
    add(acc: number, n: number) {
      return acc + n;
    }
    result(acc: number) {
      return acc;
    }
  }
  const pipeline = createPipeline({
    components: [
      fromArray([1, 2], { name: 'numbers', eventTime: (n: number) => n }),
      Sums,
      toArray([], { name: 'out', from: 'sums' }),
      toArray([], { name: 'late', from: 'sums:late' }),
    ],
  });
  const g = pipeline.graph();
  t.false(g.nodes.some((n) => n.name === 'sums:late'));
  t.deepEqual(g.nodes.find((n) => n.name === 'sums')!.kind, 'window');
  t.deepEqual(
    g.edges.find((e) => e.to === 'late'),
    { from: 'sums', to: 'late', output: 'late' },
  );
});

test('monitors › a bound monitor is attached before the start and detached after the end, seeing every lifecycle state', async (t) => {
  const seen: string[] = [];
  let graphNodes = 0;
  const monitor: PipelineMonitor = {
    name: 'recorder',
    attach(p: MonitoredPipeline) {
      seen.push(`attach:${p.stats().state}`);
      graphNodes = p.graph().nodes.length;
      p.events.on('lifecycle', (e: LifecycleEvent) => seen.push(e.state));
    },
    detach() {
      seen.push('detach');
    },
  };
  const out: number[] = [];
  const pipeline = createPipeline({
    components: [fromArray([1, 2, 3], { name: 'numbers' }), Positive, Doubled, toArray(out, { name: 'out', from: 'doubled' })],
    providers: [{ provide: PIPELINE_MONITOR, useValue: monitor }],
  });
  await pipeline.run();
  t.deepEqual(out, [2, 4, 6]);
  t.deepEqual(seen, ['attach:starting', 'running', 'stopped', 'detach']);
  t.is(graphNodes, 4);
});

test('monitors › a failed run reports failed with its error, and the monitor is still detached', async (t) => {
  const states: LifecycleEvent[] = [];
  let detached = false;
  @Stage({ name: 'boom', from: 'numbers' })
  class Boom implements Mapper<number, number> {
    map(): number {
      throw new Error('bad tick');
    }
  }
  const pipeline = createPipeline({
    components: [fromArray([1], { name: 'numbers' }), Boom, toArray([], { name: 'out', from: 'boom' })],
    providers: [
      {
        provide: PIPELINE_MONITOR,
        useValue: {
          name: 'm',
          attach: (p: MonitoredPipeline) => void p.events.on('lifecycle', (e) => states.push(e)),
          detach: () => (detached = true),
        },
      },
    ],
  });
  await t.throwsAsync(pipeline.run());
  t.deepEqual(
    states.map((e) => e.state),
    ['running', 'failed'],
  );
  t.regex(states[1]!.error!.message, /bad tick/);
  t.true(detached);
});

test('monitors › a monitor that fails to attach fails the start, naming the monitor', async (t) => {
  const pipeline = createPipeline({
    components: [fromArray([1], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
    providers: [
      {
        provide: PIPELINE_MONITOR,
        useValue: {
          name: 'dashboard',
          attach: () => {
            throw new Error('port 9464 in use');
          },
        },
      },
    ],
  });
  const err = await t.throwsAsync(pipeline.run());
  t.true(SluiceError.is(err, ErrorCodes.LIFECYCLE_FAILED));
  t.regex(err.message, /Monitor 'dashboard' of pipeline 'pipeline' failed to attach: port 9464 in use/);
});

test('monitors › something bound under PIPELINE_MONITOR that is not a monitor is refused when the pipeline is built', (t) => {
  const err = t.throws(() =>
    createPipeline({
      components: [fromArray([1], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
      providers: [{ provide: PIPELINE_MONITOR, useValue: { port: 9464 } }],
    }),
  );
  t.regex(err.message, /PIPELINE_MONITOR \(number 1\) is not a PipelineMonitor.*keys port/);
});
