import { MetricsBus, SystemClock, type Pipeline } from '@sluice/core';
import type { MonitoredPipeline, PipelineGraph, PipelineStats } from '@sluice/sdk';

// Events of a partition's pipeline that the worker passes on, node names prefixed with `p<n>/`.
const FORWARDED = ['stage:error', 'dead-letter', 'checkpoint:completed', 'checkpoint:failed', 'checkpoint:restored'] as const;

const prefixed = <T>(n: number, record: Readonly<Record<string, T>>): [string, T][] =>
  Object.entries(record).map(([name, value]) => [`p${n}/${name}`, value]);

/**
 * What a scaled-out worker shows its monitoring server: the pipelines of the partitions it
 * holds now, as one pipeline whose nodes are named `p<n>/<node>` — stats, graph and events — so
 * `/metrics`, `/stats` and the dashboard of one worker cover all its partitions.
 */
export class WorkerView implements MonitoredPipeline {
  /** The worker's own `stats`, and its partitions' events passed on. */
  readonly events = new MetricsBus(new SystemClock());
  private readonly partitions = new Map<number, { pipeline: Pipeline; unsubscribe: () => void }>();
  private readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly statsIntervalMs = 1000,
  ) {}

  /** Starts publishing `stats` every interval (while someone listens). */
  start(): void {
    this.timer = setInterval(() => {
      if (this.events.listenerCount('stats') > 0) this.events.emit('stats', this.stats());
    }, this.statsIntervalMs);
  }

  /** The worker stops: a last `stats`, then no more. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.events.listenerCount('stats') > 0) this.events.emit('stats', this.stats());
  }

  add(n: number, pipeline: Pipeline): void {
    const offs: (() => void)[] = [];
    for (const event of FORWARDED) {
      const listener = (payload: Record<string, unknown>) => {
        const stage = payload.stage;
        this.events.emit(
          event,
          (typeof stage === 'string' ? { ...payload, stage: `p${n}/${stage}` } : { ...payload, partition: n }) as never,
        );
      };
      pipeline.events.on(event, listener as never);
      offs.push(() => pipeline.events.off(event, listener as never));
    }
    this.partitions.set(n, { pipeline, unsubscribe: () => offs.forEach((off) => off()) });
  }

  remove(n: number): void {
    this.partitions.get(n)?.unsubscribe();
    this.partitions.delete(n);
  }

  stats(): PipelineStats {
    const sources: [string, PipelineStats['sources'][string]][] = [];
    const stages: [string, PipelineStats['stages'][string]][] = [];
    const sinks: [string, PipelineStats['sinks'][string]][] = [];
    const channels: [string, PipelineStats['channels'][string]][] = [];
    let completed = 0;
    let failed = 0;
    for (const [n, { pipeline }] of [...this.partitions].sort(([a], [b]) => a - b)) {
      const s = pipeline.stats();
      sources.push(...prefixed(n, s.sources));
      stages.push(...prefixed(n, s.stages));
      sinks.push(...prefixed(n, s.sinks));
      channels.push(...prefixed(n, s.channels));
      completed += s.checkpoints?.completed ?? 0;
      failed += s.checkpoints?.failed ?? 0;
    }
    return {
      state: this.stopped ? 'stopped' : 'running',
      uptimeMs: performance.now() - this.startedAt,
      at: Date.now(),
      sources: Object.fromEntries(sources),
      stages: Object.fromEntries(stages),
      sinks: Object.fromEntries(sinks),
      channels: Object.fromEntries(channels),
      checkpoints: {
        completed,
        failed,
        lastId: undefined,
        lastDurationMs: 0,
        lastSizeBytes: 0,
        maxDurationMs: 0,
        maxSizeBytes: 0,
        restoredFrom: undefined,
        skipped: [],
      },
    };
  }

  graph(): PipelineGraph {
    const nodes: PipelineGraph['nodes'][number][] = [];
    const edges: PipelineGraph['edges'][number][] = [];
    for (const [n, { pipeline }] of [...this.partitions].sort(([a], [b]) => a - b)) {
      const g = pipeline.graph();
      for (const node of g.nodes) nodes.push({ ...node, name: `p${n}/${node.name}`, segment: `p${n}/${node.segment}` });
      for (const edge of g.edges) edges.push({ ...edge, from: `p${n}/${edge.from}`, to: `p${n}/${edge.to}` });
    }
    return { nodes, edges };
  }
}
