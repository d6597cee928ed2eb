import { ErrorCodes, SluiceError } from '@sluice/sdk';
import type { GraphNode } from './graph-node.js';

/** The suffix that names a window stage's late-data output: `from: 'candles:late'`. */
export const LATE_SUFFIX = ':late';

/**
 * @internal Adds a node `<stage>:late` for each window stage whose late output something reads.
 * The node passes on, unchanged, the records that arrived after the stage's allowed lateness
 * (the window operator sends them to it instead of its results), so that a user can count,
 * repair or store them like any other stream.
 */
export function addLateOutputs(nodes: GraphNode[]): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const wanted = new Set(nodes.flatMap((n) => n.inputs.filter((i) => i.endsWith(LATE_SUFFIX) && !byName.has(i))));
  for (const name of wanted) {
    const stageName = name.slice(0, -LATE_SUFFIX.length);
    const stage = byName.get(stageName);
    const reader = nodes.find((n) => n.inputs.includes(name))!;
    const fail = (why: string) => {
      throw new SluiceError(
        ErrorCodes.GRAPH_UNKNOWN_INPUT,
        `${reader.role.charAt(0).toUpperCase()}${reader.role.slice(1)} '${reader.name}' (${reader.label}) reads from '${name}', ${why}`,
        {
          details: { node: reader.name, class: reader.label, input: name },
        },
      );
    };
    // An unknown stage is left to the graph check, which lists the names it knows.
    if (stage === undefined) continue;
    if (stage.window === undefined)
      fail(`the late-data output of '${stageName}', which has no @Window (only window stages have late data)`);
    const policy = stage.window!.late ?? 'side-output';
    if (policy !== 'side-output') {
      fail(
        `the late-data output of '${stageName}', whose late policy is '${policy}'; set late: 'side-output' in its @Window to route late records`,
      );
    }
    nodes.push({
      name,
      role: 'stage',
      kind: 'map',
      label: `late output of ${stage.label}`,
      cls: undefined,
      instance: { map: (record: unknown) => record },
      options: { name, from: stageName },
      inputs: [stageName],
      outputs: [],
      onError: undefined,
      window: undefined,
      lateOf: stageName,
    });
  }
}
