import test from 'ava';
import type { PipelineGraph } from '@sluice/sdk';
import { toDot, toMermaid } from '../dist/commands/graph-format.js';

// A window with a late-records side output, as core's graph() reports it.
const graph: PipelineGraph = {
  nodes: [
    { name: 'ticks', role: 'source', kind: 'source', label: 'Ticks', segment: 'ticks' },
    { name: 'candles.1s', role: 'stage', kind: 'window', label: 'Candles', segment: 'candles.1s' },
    { name: 'out', role: 'sink', kind: 'sink', label: 'Out', segment: 'out' },
    { name: 'late', role: 'sink', kind: 'sink', label: 'Late', segment: 'late' },
  ],
  edges: [
    { from: 'ticks', to: 'candles.1s' },
    { from: 'candles.1s', to: 'out' },
    { from: 'candles.1s', to: 'late', output: 'late' },
  ],
};

test('graph format › mermaid: positional ids, names as labels, side outputs dashed and labelled', (t) => {
  t.is(
    toMermaid(graph),
    [
      'flowchart LR',
      '  n0(["ticks (source)"])',
      '  n1["candles.1s (stage: window)"]',
      '  n2[("out (sink)")]',
      '  n3[("late (sink)")]',
      '  n0 --> n1',
      '  n1 --> n2',
      '  n1 -.->|late| n3',
      '',
    ].join('\n'),
  );
});

test('graph format › dot: side outputs dashed and labelled', (t) => {
  const dot = toDot(graph, 'candles');
  t.true(dot.startsWith('digraph "candles" {\n  rankdir=LR;\n'));
  t.true(dot.includes('  "candles.1s" [label="candles.1s (stage: window)", shape=box];\n'));
  t.true(dot.includes('  "candles.1s" -> "late" [style=dashed, label="late"];\n'));
  t.true(dot.endsWith('}\n'));
});
