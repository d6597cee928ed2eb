import { ErrorCodes, SluiceError, type SourceOptions } from '@sluice/sdk';
import type { GraphNode } from './graph-node.js';

/** The suffix that names a push source's dropped-records output: `from: 'ticks:dropped'`. */
export const DROPPED_SUFFIX = ':dropped';

// How long the dropped output of a source with event time waits without records before it is idle.
const DROPPED_IDLE_MS = 1;

/**
 * @internal Adds a source node `<source>:dropped` for each push source whose dropped records
 * something reads (as `addLateOutputs` does for a window stage's late records). The node emits,
 * unchanged and in order, the records the source's overflow policy dropped, so that a user can
 * count, store or replay them like any other stream; when nothing reads it they are only counted.
 */
export function addDroppedOutputs(nodes: GraphNode[]): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const wanted = new Set(nodes.flatMap((n) => n.inputs.filter((i) => i.endsWith(DROPPED_SUFFIX) && !byName.has(i))));
  for (const name of wanted) {
    const sourceName = name.slice(0, -DROPPED_SUFFIX.length);
    const source = byName.get(sourceName);
    const reader = nodes.find((n) => n.inputs.includes(name))!;
    const fail = (why: string) => {
      throw new SluiceError(
        ErrorCodes.GRAPH_UNKNOWN_INPUT,
        `${reader.role.charAt(0).toUpperCase()}${reader.role.slice(1)} '${reader.name}' (${reader.label}) reads from '${name}', ${why}`,
        { details: { node: reader.name, class: reader.label, input: name } },
      );
    };
    // An unknown name is left to the graph check, which lists the names it knows.
    if (source === undefined) continue;
    if (source.role !== 'source')
      fail(`the dropped-records output of '${sourceName}', which is a ${source.role}; only push sources drop records`);
    if (source.sourceKind !== 'push') {
      fail(
        `the dropped-records output of '${sourceName}', a pull source: backpressure pauses it, so it never drops records (only push sources, with subscribe(), have an overflow policy)`,
      );
    }
    const options = source.options as SourceOptions<never>;
    nodes.push({
      name,
      role: 'source',
      kind: undefined,
      label: `dropped output of ${source.label}`,
      cls: undefined,
      instance: undefined, // built with the push source's buffer, in assemble
      // Dropped records keep their event times, so the output has the source's time options. It
      // is quiet while nothing is dropped: with event time it goes idle at once (unless the source
      // says otherwise), so that a stage reading it and the source is not held back by it.
      options: {
        name,
        eventTime: options.eventTime,
        watermark: options.watermark,
        idleTimeout: options.idleTimeout ?? (options.eventTime === undefined ? undefined : DROPPED_IDLE_MS),
        batchSize: options.batchSize,
      },
      inputs: [],
      outputs: [],
      onError: undefined,
      window: undefined,
      sourceKind: 'pull',
      droppedOf: sourceName,
    });
  }
}
