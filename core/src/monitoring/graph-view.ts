import type { PipelineGraph, PipelineGraphEdge, PipelineGraphNode } from '@sluice/sdk';
import type { GraphNode } from '../graph/graph-node.js';

/**
 * @internal The public view of the checked graph: what a dashboard draws. The side-output
 * nodes (`<stage>:late`, `<source>:dropped`) are folded into the edges that read them, marked
 * with their output, so that a reader sees `candles -late-> lateSink` rather than a node the
 * user never wrote.
 */
export function graphView(nodes: readonly GraphNode[], segments: ReadonlyMap<string, readonly string[]>): PipelineGraph {
  const segmentOf = new Map<string, string>();
  for (const [task, names] of segments) for (const n of names) if (!segmentOf.has(n)) segmentOf.set(n, task);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const origin = (name: string): { from: string; output?: 'late' | 'dropped' } => {
    const n = byName.get(name);
    if (n?.lateOf !== undefined) return { from: n.lateOf, output: 'late' };
    if (n?.droppedOf !== undefined) return { from: n.droppedOf, output: 'dropped' };
    return { from: name };
  };
  const view: PipelineGraphNode[] = [];
  const edges: PipelineGraphEdge[] = [];
  for (const n of nodes) {
    if (n.lateOf !== undefined || n.droppedOf !== undefined) continue;
    view.push({
      name: n.name,
      role: n.role,
      kind: n.role === 'stage' ? (n.window !== undefined ? 'window' : String(n.kind)) : n.role,
      label: n.label,
      segment: segmentOf.get(n.name) ?? n.name,
    });
    for (const input of n.inputs) edges.push({ ...origin(input), to: n.name });
  }
  return { nodes: view, edges };
}
