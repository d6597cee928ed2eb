import {
  COMPOSITE_INPUT,
  CompositeOptionsSchema,
  ErrorCodes,
  getCompositeMetadata,
  getOnErrorMetadata,
  getSinkMetadata,
  getSourceMetadata,
  getStageMetadata,
  getWindowMetadata,
  OnErrorOptionsSchema,
  parseDuration,
  SinkOptionsSchema,
  SluiceError,
  SourceOptionsSchema,
  StageOptionsSchema,
  validateOptions,
  WindowOptionsSchema,
  type CompositeOptions,
  type OnErrorOptions,
  type SourceOptions,
  type StageOptions,
  type WindowOptions,
} from '@sluice/sdk';
import { definitionKind, type SinkDefinition, type SourceDefinition } from '../discovery/component-definition.js';
import type { ComponentClass, ComponentRef } from '../discovery/component-ref.js';
import type { GraphNode } from './graph-node.js';
import { addDroppedOutputs } from './dropped-outputs.js';
import { addLateOutputs } from './late-outputs.js';
import { ComponentOverrides, type ComponentOverride } from './component-overrides.js';
import { PipelineGraph } from './pipeline-graph.js';
import { sourceKindOf, type SourceKind } from './source-kind-of.js';
import { stageKindOf } from './stage-kind-of.js';

const names = (from: string | readonly string[] | undefined): string[] =>
  from === undefined ? [] : typeof from === 'string' ? [from] : [...from];

/**
 * @internal Turns components into a checked graph: validates every decorator's options, tells
 * stage kinds, expands composites, applies edge overrides, then links and checks the graph.
 */
export function buildGraph(
  refs: readonly ComponentRef[],
  edges: Readonly<Record<string, string | readonly string[]>> = {},
  extraInputs: Readonly<Record<string, readonly string[]>> = {},
  componentOverrides: Readonly<Record<string, ComponentOverride>> = {},
): PipelineGraph {
  const nodes: GraphNode[] = [];
  const overrides = new ComponentOverrides(componentOverrides);
  const expansion: Expansion = { aliases: new Map(), composites: new Map(), overrides };
  const { aliases, composites } = expansion;
  for (const ref of refs) describe(ref, ROOT, nodes, expansion);

  const byName = new Map<string, GraphNode>();
  for (const node of nodes) {
    const other = byName.get(node.name);
    if (other !== undefined || aliases.has(node.name)) {
      throw new SluiceError(
        ErrorCodes.GRAPH_DUPLICATE_NAME,
        `Duplicate name '${node.name}': declared by ${other?.label ?? `composite ${node.name}`} and by ${node.label}; names must be unique in a pipeline`,
        { details: { name: node.name, classes: [other?.label, node.label] } },
      );
    }
    byName.set(node.name, node);
  }
  overrides.checkAllUsed([...byName.keys()]);
  for (const [target, from] of Object.entries(edges)) {
    const composite = composites.get(target);
    const node = byName.get(target);
    if (composite !== undefined) composite.inputs = names(from);
    else if (node !== undefined && node.role === 'source') {
      throw new SluiceError(
        ErrorCodes.GRAPH_UNKNOWN_INPUT,
        `The edge override for '${target}' names a source (${node.label}); sources have no input`,
        {
          details: { stage: target },
        },
      );
    } else if (node !== undefined) node.inputs = names(from);
    else {
      throw new SluiceError(
        ErrorCodes.GRAPH_UNKNOWN_INPUT,
        `The edge override for '${target}' names no stage, composite or sink of this pipeline`,
        {
          details: { stage: target },
        },
      );
    }
  }
  // Composite inputs are resolved last, so an edge override of a composite reaches the inner
  // stages that read COMPOSITE_INPUT, however deeply nested.
  for (const [name, composite] of composites) {
    if (composite.inputs.length === 0) {
      throw new SluiceError(
        ErrorCodes.GRAPH_UNKNOWN_INPUT,
        `Composite '${name}' (${composite.label}) declares no input: give @Composite a from: '<source or stage name>', or override it in the pipeline's edges`,
        { details: { composite: name, class: composite.label } },
      );
    }
  }
  const resolve = (n: string): string[] => {
    if (!n.endsWith(INPUT_SUFFIX)) return [aliases.get(n) ?? n];
    const composite = composites.get(n.slice(0, -INPUT_SUFFIX.length));
    // Not a composite of ours: leave the name as written, and the graph check reports it.
    return composite === undefined ? [n] : composite.inputs.flatMap(resolve);
  };
  for (const node of nodes) node.inputs = node.inputs.flatMap(resolve);
  // A replay feeds a stage its dead letters besides its own inputs.
  for (const [target, extra] of Object.entries(extraInputs)) {
    const node = byName.get(target);
    if (node === undefined || node.role !== 'stage') {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        node?.role === 'source'
          ? `Dead letters of source '${target}' (${node.label}) are payloads it could not decode; they cannot be fed to a stage: fix the input and read it again`
          : `Dead letters of '${target}' cannot be replayed: this pipeline has no stage of that name${node === undefined ? '' : ` ('${target}' is a ${node.role})`}`,
        { details: { stage: target } },
      );
    }
    node.inputs = [...node.inputs, ...extra];
  }
  addLateOutputs(nodes);
  addDroppedOutputs(nodes);
  return new PipelineGraph(nodes);
}

const INPUT_SUFFIX = `/${COMPOSITE_INPUT}`;

/** What expanding composites records: how to resolve their names and inputs afterwards. */
interface Expansion {
  /** Composite name -> the qualified name of its output stage. */
  readonly aliases: Map<string, string>;
  /** Composite name -> what it reads (may name an enclosing composite's input). */
  readonly composites: Map<string, { inputs: string[]; readonly label: string }>;
  /** The pipeline's option overrides, by (qualified) component name. */
  readonly overrides: ComponentOverrides;
}

/** Where a component is declared: at the top, or inside a composite (possibly nested). */
interface Scope {
  readonly prefix: string;
  /** Names declared inside the enclosing composite, which `from:` resolves to qualified names. */
  readonly inner: ReadonlySet<string>;
}

const ROOT: Scope = { prefix: '', inner: new Set() };

function describe(ref: ComponentRef, scope: Scope, out: GraphNode[], expansion: Expansion): void {
  const kind = definitionKind(ref);
  if (kind === 'source') {
    const def = ref as SourceDefinition;
    const label = `source definition '${String(def.options?.name)}'`;
    const options = overridden(expansion.overrides, def.options);
    validateOptions(SourceOptionsSchema, options, {
      decorator: expansion.overrides.label('defineSource', String(options?.name)),
      target: label,
    });
    const sourceKind = checkSourceKind(def.connector, options, 'defineSource', label);
    out.push({
      ...node(options.name, 'source', undefined, label, undefined, def.connector, options, [], undefined, undefined),
      sourceKind,
    });
    return;
  }
  if (kind === 'sink') {
    const def = ref as SinkDefinition;
    const label = `sink definition '${String(def.options?.name)}'`;
    const options = overridden(expansion.overrides, def.options);
    validateOptions(SinkOptionsSchema, options, {
      decorator: expansion.overrides.label('defineSink', String(options?.name)),
      target: label,
    });
    out.push(node(options.name, 'sink', undefined, label, undefined, def.connector, options, names(options.from), undefined, undefined));
    return;
  }
  if (typeof ref !== 'function') {
    throw new SluiceError(
      ErrorCodes.GRAPH_UNKNOWN_KIND,
      `${describeValue(ref)} is not a pipeline component: pass a class decorated with @Stage, @Source, @Sink or @Composite, or a source/sink definition`,
      { details: { value: describeValue(ref) } },
    );
  }
  const cls = ref as ComponentClass;
  const label = `class ${cls.name}`;
  const qualify = (n: string) => (scope.prefix === '' ? n : `${scope.prefix}/${n}`);
  const resolveInputs = (from: string | readonly string[] | undefined) =>
    names(from).flatMap((n) =>
      n === COMPOSITE_INPUT
        ? [scope.prefix === '' ? n : `${scope.prefix}${INPUT_SUFFIX}`] // at the top, '$input' stays unknown and is reported as such
        : scope.inner.has(n)
          ? [qualify(n)]
          : [n],
    );

  const composite = getCompositeMetadata(cls);
  if (composite !== undefined) {
    validateOptions(CompositeOptionsSchema, composite, { decorator: '@Composite', target: cls.name });
    expandComposite(cls, composite, qualify(composite.name), resolveInputs(composite.from), out, expansion);
    return;
  }
  const { overrides } = expansion;
  const at = <T extends { name: string }>(meta: T | undefined): T | undefined =>
    meta === undefined ? meta : overrides.options(qualify(meta.name), meta);
  const stage = at(getStageMetadata(cls));
  const source = at(getSourceMetadata(cls));
  const sink = at(getSinkMetadata(cls));
  const decorated = [stage && '@Stage', source && '@Source', sink && '@Sink'].filter(Boolean);
  if (decorated.length !== 1) {
    throw new SluiceError(
      ErrorCodes.GRAPH_UNKNOWN_KIND,
      decorated.length === 0
        ? `${label} carries none of @Stage, @Source, @Sink, @Composite, so Sluice cannot tell what it is`
        : `${label} carries ${decorated.join(' and ')}; a component is exactly one of them`,
      { details: { class: cls.name } },
    );
  }
  const onError = stage === undefined ? getOnErrorMetadata(cls) : overrides.onError(qualify(stage.name), getOnErrorMetadata(cls));
  const window = getWindowMetadata(cls);
  if (source !== undefined) {
    validateOptions(SourceOptionsSchema, source, { decorator: overrides.label('@Source', qualify(source.name)), target: cls.name });
    const sourceKind = checkSourceKind(cls.prototype as object, source, '@Source', cls.name);
    out.push({ ...node(qualify(source.name), 'source', undefined, label, cls, undefined, source, [], undefined, undefined), sourceKind });
  } else if (sink !== undefined) {
    validateOptions(SinkOptionsSchema, sink, { decorator: overrides.label('@Sink', qualify(sink.name)), target: cls.name });
    out.push(node(qualify(sink.name), 'sink', undefined, label, cls, undefined, sink, resolveInputs(sink.from), undefined, undefined));
  } else if (stage !== undefined) {
    validateOptions(StageOptionsSchema, stage, { decorator: overrides.label('@Stage', qualify(stage.name)), target: cls.name });
    if (onError !== undefined)
      validateOptions(OnErrorOptionsSchema, onError, {
        decorator: overrides.label('@OnError', qualify(stage.name), 'onError'),
        target: `${cls.name} (stage '${stage.name}')`,
      });
    if (window !== undefined) validateOptions(WindowOptionsSchema, window, { decorator: '@Window', target: cls.name });
    const kind = stageKindOf(cls, qualify(stage.name));
    checkStageOptions(cls, stage, kind, onError, window);
    out.push(node(qualify(stage.name), 'stage', kind, label, cls, undefined, stage, resolveInputs(stage.from), onError, window));
  }
}

function expandComposite(
  cls: ComponentClass,
  options: CompositeOptions,
  prefix: string,
  inputs: string[],
  out: GraphNode[],
  expansion: Expansion,
): void {
  const inner = new Set<string>();
  for (const c of options.stages) {
    const meta = getStageMetadata(c) ?? getCompositeMetadata(c) ?? getSinkMetadata(c);
    if (meta !== undefined) inner.add(meta.name);
  }
  if (!inner.has(options.output)) {
    throw new SluiceError(
      ErrorCodes.GRAPH_UNKNOWN_INPUT,
      `@Composite on ${cls.name}: output '${options.output}' is none of its stages (${[...inner].join(', ')})`,
      { details: { class: cls.name, option: 'output' } },
    );
  }
  expansion.composites.set(prefix, { inputs, label: `class ${cls.name}` });
  for (const c of options.stages) describe(c as ComponentRef, { prefix, inner }, out, expansion);
  expansion.aliases.set(prefix, `${prefix}/${options.output}`);
}

// Push or pull, told from the methods; `overflow` only makes sense for a source that pushes.
function checkSourceKind(methods: object, options: SourceOptions<never>, decorator: string, target: string): SourceKind {
  const kind = sourceKindOf(methods, options.name, target);
  if (kind === 'pull' && options.overflow !== undefined) {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `${decorator} on ${target}: option "overflow" applies only to push sources (with subscribe()); a pull source (with read()) is paused by backpressure and never overflows`,
      { details: { decorator, target, source: options.name, option: 'overflow' } },
    );
  }
  return kind;
}

function checkStageOptions(
  cls: ComponentClass,
  stage: StageOptions,
  kind: string,
  onError: OnErrorOptions | undefined,
  window: WindowOptions | undefined,
): void {
  const fail = (message: string, code: (typeof ErrorCodes)[keyof typeof ErrorCodes] = ErrorCodes.INVALID_OPTION) => {
    throw new SluiceError(code, `@Stage on ${cls.name}: ${message}`, { details: { class: cls.name, stage: stage.name } });
  };
  if ((kind === 'aggregate' || kind === 'reduce') && stage.key === undefined) {
    fail(
      `${kind === 'aggregate' ? 'an' : 'a'} ${kind} stage needs a key: add the option key: (record) => ... to @Stage`,
      ErrorCodes.GRAPH_KEY_REQUIRED,
    );
  }
  if (stage.concurrency !== undefined && kind !== 'enrich')
    fail(`option "concurrency" applies only to enrich stages, and this is a ${kind} stage`);
  if (stage.ordered !== undefined && kind !== 'enrich') fail(`option "ordered" applies only to enrich stages, and this is a ${kind} stage`);
  if (stage.rateLimit?.perKey !== undefined && kind === 'enrich')
    fail('option "rateLimit.perKey" is not supported on enrich stages yet: limit per key in a stage in front of it instead');
  if (stage.concurrencyLimit !== undefined && kind !== 'enrich')
    fail(`option "concurrencyLimit" applies only to enrich stages (it adapts how many calls run at once), and this is a ${kind} stage`);
  if (stage.ordered === 'keyed' && stage.key === undefined)
    fail(`option "ordered: 'keyed'" keeps each key's records in order: add the option key: (record) => ... to @Stage`);
  if (stage.emit !== undefined && kind !== 'aggregate' && kind !== 'reduce') {
    fail(`option "emit" applies only to aggregate and reduce stages, and this is a ${kind} stage`);
  }
  if (kind === 'windowFunction' && window === undefined) {
    fail('a whole-window function (apply) runs per window: add @Window to the class');
  }
  if (window !== undefined) checkWindow(cls, stage, kind, window, fail);
  if (onError !== undefined) checkOnError(cls, stage, onError);
}

function checkOnError(cls: ComponentClass, stage: StageOptions, onError: OnErrorOptions): void {
  const refuse = (option: string, message: string) => {
    throw new SluiceError(ErrorCodes.INVALID_OPTION, `@OnError on ${cls.name} (stage '${stage.name}'): ${message}`, {
      details: { class: cls.name, stage: stage.name, option },
    });
  };
  if (onError.strategy !== undefined && onError.retry !== undefined)
    refuse('strategy', 'give either "retry" (the built-in retry strategy) or "strategy" (a strategy bound by name), not both');
  if (onError.options !== undefined && onError.strategy === undefined)
    refuse('options', 'option "options" configures a named strategy: add strategy: \'<name>\'');
  const r = onError.retry;
  if (r?.delay !== undefined && r.maxDelay !== undefined && parseDuration(r.maxDelay) < parseDuration(r.delay))
    refuse('retry.maxDelay', `option "retry.maxDelay" (${String(r.maxDelay)}) must not be less than "retry.delay" (${String(r.delay)})`);
}

// A definition's options with its override merged in (a definition is never inside a composite).
function overridden<T extends { name: string }>(overrides: ComponentOverrides, options: T): T {
  return typeof options?.name === 'string' ? overrides.options(options.name, options) : options;
}

function node(
  name: string,
  role: GraphNode['role'],
  kind: GraphNode['kind'],
  label: string,
  cls: ComponentClass | undefined,
  instance: unknown,
  options: GraphNode['options'],
  inputs: string[],
  onError: OnErrorOptions | undefined,
  window: WindowOptions | undefined,
): GraphNode {
  return { name, role, kind, label, cls, instance, options, inputs, outputs: [], onError, window };
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object')
    return `an object (${
      Object.keys(v as object)
        .slice(0, 5)
        .join(', ') || 'no keys'
    })`;
  return `${typeof v} ${String(v)}`;
}

function checkWindow(
  cls: ComponentClass,
  stage: StageOptions,
  kind: string,
  window: WindowOptions,
  fail: (message: string, code?: (typeof ErrorCodes)[keyof typeof ErrorCodes]) => never,
): void {
  const at = (message: string) => {
    throw new SluiceError(ErrorCodes.INVALID_OPTION, `@Window on ${cls.name}: ${message}`, {
      details: { class: cls.name, stage: stage.name },
    });
  };
  if (kind !== 'aggregate' && kind !== 'windowFunction') {
    fail(`@Window needs an aggregate stage (create/add/result) or a whole-window function (apply), and this is a ${kind} stage`);
  }
  if (stage.key === undefined) {
    fail('a window stage needs a key: add the option key: (record) => ... to @Stage', ErrorCodes.GRAPH_KEY_REQUIRED);
  }
  const proto = cls.prototype as { merge?: unknown };
  if (window.session !== undefined && kind === 'aggregate' && typeof proto.merge !== 'function') {
    at('session windows merge when a record bridges two sessions: implement merge(a, b) on the aggregator');
  }
  if (window.count !== undefined || window.global !== undefined) {
    const which = window.count !== undefined ? 'count' : 'global';
    for (const option of ['lateness', 'late', 'time'] as const) {
      if (window[option] !== undefined)
        at(`option "${option}" applies to time windows (tumbling, sliding, session), and this is a ${which} window`);
    }
  }
}
