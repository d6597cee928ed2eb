import { ErrorCodes, SluiceError } from '@sluice/sdk';
import type { GraphNode } from './graph-node.js';

/**
 * @internal The checked graph of a pipeline: every input exists, there is no cycle, every source
 * and stage has a consumer. Nodes are kept in topological order (sources first).
 */
export class PipelineGraph {
  readonly nodes: readonly GraphNode[];
  private readonly byName: ReadonlyMap<string, GraphNode>;

  constructor(nodes: readonly GraphNode[]) {
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    if (!nodes.some((n) => n.role === 'source')) {
      throw new SluiceError(
        ErrorCodes.GRAPH_EMPTY,
        'The pipeline has no source: add a @Source class or a source definition such as fromArray(...)',
      );
    }
    for (const n of nodes) {
      if (n.role === 'source') continue;
      if (n.inputs.length === 0) {
        throw new SluiceError(
          ErrorCodes.GRAPH_UNKNOWN_INPUT,
          `${capital(n.role)} '${n.name}' (${n.label}) declares no input: give it from: '<source or stage name>'`,
          { details: { node: n.name, class: n.label } },
        );
      }
      for (const input of new Set(n.inputs)) {
        const upstream = this.byName.get(input);
        if (upstream === undefined) {
          const known = [...this.byName.values()].filter((k) => k.role !== 'sink').map((k) => k.name);
          throw new SluiceError(
            ErrorCodes.GRAPH_UNKNOWN_INPUT,
            `${capital(n.role)} '${n.name}' (${n.label}) reads from '${input}', which no source, stage or composite provides (known: ${known.join(', ')})`,
            { details: { node: n.name, class: n.label, input } },
          );
        }
        if (upstream.role === 'sink') {
          throw new SluiceError(
            ErrorCodes.GRAPH_UNKNOWN_INPUT,
            `${capital(n.role)} '${n.name}' (${n.label}) reads from '${input}', which is a sink; sinks have no output`,
            { details: { node: n.name, class: n.label, input } },
          );
        }
        upstream.outputs.push(n);
      }
      n.inputs = [...new Set(n.inputs)];
    }
    this.nodes = topologicalOrder(nodes, this.byName);
    for (const n of this.nodes) {
      if (n.role !== 'sink' && n.outputs.length === 0) {
        throw new SluiceError(
          ErrorCodes.GRAPH_NO_CONSUMER,
          `${capital(n.role)} '${n.name}' (${n.label}) has no consumer: its records would be lost; add a stage or sink with from: '${n.name}'`,
          { details: { node: n.name, class: n.label } },
        );
      }
    }
  }

  /** The node called `name`. */
  get(name: string): GraphNode {
    const n = this.byName.get(name);
    if (n === undefined) throw new SluiceError(ErrorCodes.GRAPH_UNKNOWN_INPUT, `No node named '${name}'`);
    return n;
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Depth-first order; a node met again while still on the path closes a cycle, which is named
// in full so the user sees which `from:` to change.
function topologicalOrder(nodes: readonly GraphNode[], byName: ReadonlyMap<string, GraphNode>): GraphNode[] {
  const state = new Map<GraphNode, 'visiting' | 'done'>();
  const order: GraphNode[] = [];
  const path: GraphNode[] = [];
  const visit = (n: GraphNode): void => {
    const s = state.get(n);
    if (s === 'done') return;
    if (s === 'visiting') {
      // The path follows inputs; reversed, it reads in the direction records flow.
      const cycle = [...path.slice(path.indexOf(n)), n].map((c) => c.name).reverse();
      throw new SluiceError(
        ErrorCodes.GRAPH_CYCLE,
        `The graph has a cycle: ${cycle.join(' -> ')} (${n.label} is part of it); stages must not read, directly or not, their own output`,
        { details: { cycle } },
      );
    }
    state.set(n, 'visiting');
    path.push(n);
    for (const input of n.inputs) visit(byName.get(input)!);
    path.pop();
    state.set(n, 'done');
    order.push(n);
  };
  for (const n of nodes) visit(n);
  return order;
}
