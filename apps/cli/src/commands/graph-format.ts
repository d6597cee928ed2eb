import type { PipelineGraph, PipelineGraphNode } from '@sluice/sdk';

/** A node's text: its name, and its kind when that says more than its role. */
const label = (n: PipelineGraphNode) => (n.kind === n.role ? `${n.name} (${n.role})` : `${n.name} (${n.role}: ${n.kind})`);

/**
 * The graph as a Mermaid flowchart: sources as stadiums, sinks as cylinders, stages as boxes;
 * side outputs (late records, dropped records) as dashed edges labelled with the output.
 */
export function toMermaid(graph: PipelineGraph): string {
  // Names may hold `.`, `-` and `/`, which Mermaid ids cannot: ids are positional, names are labels.
  const id = new Map(graph.nodes.map((n, i) => [n.name, `n${i}`]));
  const shape = (n: PipelineGraphNode) => {
    const text = JSON.stringify(label(n));
    return n.role === 'source' ? `([${text}])` : n.role === 'sink' ? `[(${text})]` : `[${text}]`;
  };
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) lines.push(`  ${id.get(n.name)}${shape(n)}`);
  for (const e of graph.edges) {
    const arrow = e.output === undefined ? '-->' : `-.->|${e.output}|`;
    lines.push(`  ${id.get(e.from) ?? e.from} ${arrow} ${id.get(e.to) ?? e.to}`);
  }
  return lines.join('\n') + '\n';
}

/** The graph in Graphviz DOT, with the same conventions as {@link toMermaid}. */
export function toDot(graph: PipelineGraph, name: string): string {
  const q = (s: string) => JSON.stringify(s);
  const shape = { source: 'ellipse', stage: 'box', sink: 'cylinder' } as const;
  const lines = [`digraph ${q(name)} {`, '  rankdir=LR;'];
  for (const n of graph.nodes) lines.push(`  ${q(n.name)} [label=${q(label(n))}, shape=${shape[n.role]}];`);
  for (const e of graph.edges) {
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.output === undefined ? '' : ` [style=dashed, label=${q(e.output)}]`};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
