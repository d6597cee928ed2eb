import type { Bottleneck, PipelineGraph, PipelineStats } from '@sluice/sdk';
import type { MetricsBus } from './metrics-bus.js';

// A node is backpressured from half of the last second spent waiting for room, and stays so
// until it waits less than a tenth: the gap keeps a node near the line from flapping.
const PRESSURE_ON_MS = 500;
const PRESSURE_OFF_MS = 100;

/**
 * @internal Publishes a pipeline's periodic events from its stats snapshots, once per interval
 * while it runs and once at the end: `stats` itself, and what is read off consecutive snapshots —
 * `backpressure` on/off per node, `watermark` when a source's advanced, `bottleneck` when it
 * changed. Everything is derived from snapshots, never from the records' path, so it costs the
 * pipeline one `stats()` per interval, and nothing when no one listens.
 */
export class StatsPublisher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly pressured = new Set<string>();
  private readonly watermarks = new Map<string, number>();
  private bottleneck: Bottleneck | undefined;

  constructor(
    private readonly events: MetricsBus,
    private readonly snapshot: () => PipelineStats,
    private readonly graph: PipelineGraph,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.publish(), this.intervalMs);
    // Monitoring never keeps a process alive.
    this.timer.unref();
  }

  /** Stops the timer and publishes the final snapshot. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.publish();
  }

  private publish(): void {
    const e = this.events;
    const watched = ['stats', 'backpressure', 'watermark', 'bottleneck'] as const;
    if (watched.every((event) => e.listenerCount(event) === 0)) return;
    const stats = this.snapshot();
    const at = stats.at ?? Date.now();
    this.reportPressure(stats, at);
    for (const [node, source] of Object.entries(stats.sources)) {
      if (source.watermark === undefined || this.watermarks.get(node) === source.watermark) continue;
      this.watermarks.set(node, source.watermark);
      e.emit('watermark', { node, watermark: source.watermark, lagMs: source.watermarkLagMs ?? 0, at });
    }
    const current = stats.bottleneck;
    if (current?.node !== this.bottleneck?.node) {
      e.emit('bottleneck', { current, previous: this.bottleneck, at });
    }
    this.bottleneck = current;
    e.emit('stats', stats);
  }

  private reportPressure(stats: PipelineStats, at: number): void {
    // One figure per task: a source, or the stage that heads a segment (fused stages share it).
    const heads = this.graph.nodes.filter((n) => n.role !== 'sink' && n.segment === n.name);
    for (const node of heads) {
      const ms = stats.sources[node.name]?.backPressuredTimeMsPerSecond ?? stats.stages[node.name]?.backPressuredTimeMsPerSecond ?? 0;
      const was = this.pressured.has(node.name);
      const on = was ? ms >= PRESSURE_OFF_MS : ms > PRESSURE_ON_MS;
      if (on === was) continue;
      if (on) this.pressured.add(node.name);
      else this.pressured.delete(node.name);
      this.events.emit('backpressure', { node: node.name, on, backPressuredTimeMsPerSecond: ms, at });
    }
  }
}
