import type { Bottleneck, PipelineGraph, PipelineStats } from '@sluice/sdk';

// Busy more than half of the last second: the node works more than it waits.
const BUSY_MS = 500;
// Waited for room more than this part of the last second: held back by what it feeds.
const PRESSURED_MS = 300;
// An input queue this full means what feeds the node produces faster than it consumes.
const QUEUE_FULL = 0.8;

/**
 * @internal Names the node that limits throughput, from one stats snapshot (the figures of the
 * last whole second): the stage or sink that is busy while what feeds it waits for room (or its
 * input queue fills) and that does not itself wait for room downstream. Only nodes with a queue
 * in front of them compete: a stage fused into the loop of what feeds it shares that loop's
 * figures, so its loop's head stands for it. Of several candidates, the busiest wins.
 */
export function findBottleneck(stats: PipelineStats, graph: PipelineGraph): Bottleneck | undefined {
  const pressure = (name: string): number =>
    stats.sources[name]?.backPressuredTimeMsPerSecond ?? stats.stages[name]?.backPressuredTimeMsPerSecond ?? 0;
  const fusedWith = (node: string, segment: string): string[] =>
    graph.nodes.filter((n) => n.segment === segment && n.name !== node && n.role === 'stage').map((n) => n.name);
  let best: Bottleneck | undefined;
  let bestBusy = -1;
  for (const node of graph.nodes) {
    if (node.role === 'source') continue;
    const figures = node.role === 'stage' ? stats.stages[node.name] : stats.sinks[node.name];
    if (figures === undefined || figures.queueFill === undefined || figures.busyTimeMsPerSecond === undefined) continue;
    const busy = figures.busyTimeMsPerSecond;
    if (busy < BUSY_MS) continue;
    const own = node.role === 'stage' ? (stats.stages[node.name]?.backPressuredTimeMsPerSecond ?? 0) : 0;
    if (own >= PRESSURED_MS) continue;
    const inputs = graph.edges.filter((e) => e.to === node.name).map((e) => e.from);
    const evidence = inputs.some((i) => pressure(i) >= PRESSURED_MS)
      ? 'upstream-backpressured'
      : figures.queueFill >= QUEUE_FULL
        ? 'queue-full'
        : undefined;
    if (evidence === undefined) continue;
    if (busy <= bestBusy) continue;
    bestBusy = busy;
    const busyPercent = Math.round(busy / 10);
    const fused = node.role === 'stage' ? fusedWith(node.name, node.segment) : [];
    best = {
      node: node.name,
      role: node.role,
      busyPercent,
      evidence,
      message: `bottleneck: ${node.name}${fused.length > 0 ? ` (with ${fused.join(', ')} fused)` : ''}, busy ${busyPercent}%`,
    };
  }
  return best;
}
