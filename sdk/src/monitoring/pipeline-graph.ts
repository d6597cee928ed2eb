/**
 * The shape of a built pipeline, from `pipeline.graph()`: what a dashboard draws. Static for the
 * life of the pipeline.
 *
 * @example
 * ```ts
 * for (const e of pipeline.graph().edges) console.log(`${e.from} -> ${e.to}`)
 * ```
 * @see docs/monitoring.md
 * @public
 */
export interface PipelineGraph {
  readonly nodes: readonly PipelineGraphNode[];
  /** One per input of every stage and sink: several out of one node is a fan-out, several into one a union. */
  readonly edges: readonly PipelineGraphEdge[];
}

/** A source, stage or sink of a {@link PipelineGraph}. @public */
export interface PipelineGraphNode {
  /** The node's name, as in `from:` and in the stats. */
  readonly name: string;
  readonly role: 'source' | 'stage' | 'sink';
  /** Stages: the stage kind (`filter`, `map`, `enrich`, `window`, ...); sources and sinks: their role. */
  readonly kind: string;
  /** The class (or definition) it was built from. */
  readonly label: string;
  /** The task that runs it: stages fused into one loop share a segment (and their busy and backpressure figures). */
  readonly segment: string;
}

/** An edge of a {@link PipelineGraph}. @public */
export interface PipelineGraphEdge {
  readonly from: string;
  readonly to: string;
  /**
   * Set when the edge reads a side output rather than the main output: `late` (a window's late
   * records), `dropped` (a push source's dropped records).
   */
  readonly output?: 'late' | 'dropped';
}
