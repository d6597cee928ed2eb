import type { OnErrorOptions, SinkOptions, SourceOptions, StageKind, StageOptions, WindowOptions } from '@sluice/sdk';
import type { ComponentClass } from '../discovery/component-ref.js';
import type { SourceKind } from './source-kind-of.js';

/** @internal A source, stage or sink in the checked graph. */
export interface GraphNode {
  readonly name: string;
  readonly role: 'source' | 'stage' | 'sink';
  /** For stages: what kind, told from the class's methods. */
  readonly kind: StageKind | undefined;
  /** The class's name, or a description of the definition; every error names it. */
  readonly label: string;
  /** The class to build through the container; undefined for ready instances. */
  readonly cls: ComponentClass | undefined;
  /** A ready instance (connector definitions); classes get theirs at build time. */
  readonly instance: unknown;
  readonly options: StageOptions | SourceOptions<never> | SinkOptions;
  readonly onError: OnErrorOptions | undefined;
  readonly window: WindowOptions | undefined;
  /** For a window stage's late-data output (`<stage>:late`): the window stage's name. */
  readonly lateOf?: string;
  /** For sources: pull (`read`) or push (`subscribe`). */
  readonly sourceKind?: SourceKind;
  /** For a push source's dropped-records output (`<source>:dropped`): the push source's name. */
  readonly droppedOf?: string;
  /** Names this node reads from (after composite resolution and edge overrides). */
  inputs: string[];
  /** Nodes reading from this one, filled when the graph is linked. */
  readonly outputs: GraphNode[];
}
