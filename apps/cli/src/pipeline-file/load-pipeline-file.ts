import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createPipeline, type PipelineOptions } from '@sluice/core';
import type { SluiceModule } from '@sluice/core';
import { JsonLinesDeadLetterSink } from '@sluice/files';
import { getOnErrorMetadata, getStageMetadata, SluiceError } from '@sluice/sdk';
import { CliError } from '../cli-error.js';
import { loadPlugins, PluginLoadError } from '../plugins/load-plugins.js';
import { checkpointStoreOf } from './checkpoint-store-of.js';
import { FileError } from './file-error.js';
import { checkSchema, type PipelineFile } from './file-schema.js';
import { componentName, renameComponent } from './rename-component.js';
import { parseDocumentText, type DocPath, type ParsedDocument } from './parse-document.js';
import { PARTITION_VARIABLE, redact, substituteEnv } from './substitute-env.js';

/** A checked pipeline file, ready to build. */
export interface LoadedPipeline {
  readonly file: string;
  readonly spec: PipelineFile;
  /** createPipeline's options for the file (its components, overrides, edges, checkpoints, ...). */
  readonly options: PipelineOptions;
  /** The file dead letters are appended to (`deadLetters.file`, resolved), when the file names one. */
  readonly deadLetterFile: string | undefined;
  /** Values taken from the environment: redacted from every message. */
  readonly secrets: readonly string[];
  /**
   * Builds the pipeline with extra modules (monitors) and options over the file's (a scaled-out
   * partition's name and checkpoint store); a refusal of core points at the component's line.
   */
  build(modules?: readonly SluiceModule[], extra?: Partial<PipelineOptions>): ReturnType<typeof createPipeline>;
  /** `err` as a message with a position where one is known, with the secrets redacted. */
  locate(err: unknown): FileError | CliError;
}

/**
 * Reads, checks and resolves a pipeline file: parses it with positions, substitutes `${VARS}`,
 * checks every key, loads the plugins it names and finds its classes in them. Every problem is a
 * {@link FileError} at its line and column.
 */
export async function loadPipelineFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedPipeline> {
  // validate and graph build a scaled-out file as its partition 0.
  if (env[PARTITION_VARIABLE] === undefined) env = { ...env, [PARTITION_VARIABLE]: '0' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read the pipeline file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const doc = parseDocumentText(file, text);
  const secrets: string[] = [];
  const at = (path: DocPath, message: string, key = false) => new FileError(file, doc.at(path, key), redact(message, secrets));
  const substituted = substituteEnv(doc.value, env, (name, path) => {
    throw at(path, `environment variable ${name} is not set, expected it to be set for \${${name}}`);
  });
  secrets.push(...substituted.secrets);
  const problem = checkSchema(substituted.value);
  if (problem !== undefined) throw at(problem.path, problem.message, problem.key);
  const spec = substituted.value as PipelineFile;

  let plugins;
  try {
    plugins = await loadPlugins(spec.plugins ?? [], file);
  } catch (err) {
    if (err instanceof PluginLoadError) throw at(['plugins', err.index], err.message);
    throw err;
  }
  const available = new Map<string, unknown>();
  for (const { plugin } of plugins) for (const [name, c] of Object.entries(plugin.components ?? {})) available.set(name, c);

  const components: unknown[] = [];
  const overrides: Record<string, { options?: Record<string, unknown>; onError?: Record<string, unknown> }> = {};
  const edges: Record<string, string | string[]> = {};
  const providers: NonNullable<PipelineOptions['providers']>[number][] = plugins.flatMap(({ plugin }) => [...(plugin.providers ?? [])]);
  const entryOf = new Map<string, number>();
  const settingsBound = new Set<symbol>();
  for (const [i, entry] of spec.components.entries()) {
    let component = available.get(entry.class);
    if (component === undefined) {
      const known = [...available.keys()].join(', ') || 'none: no plugin is loaded';
      throw at(['components', i, 'class'], `unknown class "${entry.class}", expected one of the plugins' components (${known})`);
    }
    if (componentName(component) === undefined)
      throw at(['components', i, 'class'], `"${entry.class}" is not a stage, source, sink or composite class`);
    if (entry.name !== undefined) {
      if (typeof component !== 'function')
        throw at(['components', i, 'name'], `"${entry.class}" is a definition, expected a class to rename`);
      component = renameComponent(component as never, entry.name);
    }
    const name = componentName(component)!;
    if (entryOf.has(name)) {
      throw at(
        ['components', i, 'class'],
        `component "${name}" is already declared at entry ${entryOf.get(name)! + 1}, expected each class once`,
      );
    }
    entryOf.set(name, i);
    components.push(component);
    // The file's default error policy goes to the stages that declare none of their own.
    const onError =
      entry.onError ??
      (spec.onError !== undefined && isStage(component) && getOnErrorMetadata(component as never) === undefined ? spec.onError : undefined);
    if (entry.options !== undefined || onError !== undefined) overrides[name] = { options: entry.options, onError };
    if (entry.from !== undefined) edges[name] = entry.from;
    // A class that takes settings declares the token it injects them by (see docs/plugin-authoring.md).
    const token = (component as { settings?: unknown }).settings;
    if (typeof token === 'symbol') {
      // One binding per token: the class's instances all inject the same settings.
      if (settingsBound.has(token)) {
        throw at(['components', i, 'class'], `"${entry.class}" takes settings and is already used, expected it once per pipeline`);
      }
      settingsBound.add(token);
      providers.push({ provide: token, useValue: entry.settings ?? {} });
    } else if (entry.settings !== undefined)
      throw at(['components', i, 'settings'], `"${entry.class}" takes no settings, expected no "settings" key`);
  }

  const deadLetterFile = spec.deadLetters === undefined ? undefined : resolve(dirname(file), spec.deadLetters.file);
  const options: PipelineOptions = {
    name: spec.name,
    ...(deadLetterFile !== undefined && { deadLetters: new JsonLinesDeadLetterSink(deadLetterFile) }),
    components: components as PipelineOptions['components'],
    providers,
    overrides,
    edges,
    ...(spec.statsInterval !== undefined && { statsInterval: spec.statsInterval as PipelineOptions['statsInterval'] }),
    ...(spec.batchSize !== undefined && { batchSize: spec.batchSize }),
    ...(spec.channelCapacity !== undefined && { channelCapacity: spec.channelCapacity }),
    ...(spec.checkpoints !== undefined && {
      checkpoints: {
        store: checkpointStoreOf(spec.checkpoints, file, at),
        ...(spec.checkpoints.interval !== undefined && { interval: spec.checkpoints.interval as never }),
        ...(spec.checkpoints.mode !== undefined && { mode: spec.checkpoints.mode }),
      },
    }),
  };
  const locate = (err: unknown) => locateError(err, file, doc, spec, entryOf, secrets);
  return {
    file,
    spec,
    options,
    deadLetterFile,
    secrets,
    locate,
    build: (modules = [], extra = {}) => {
      try {
        return createPipeline({ ...options, ...extra, modules });
      } catch (err) {
        throw locate(err);
      }
    },
  };
}

const NODE_KEYS = ['stage', 'source', 'sink', 'node'] as const;

/**
 * Maps an error of core (a SluiceError naming a component or a pipeline option) back to the line
 * of that component or option in the file; anything else keeps its message, positioned at the top.
 */
function locateError(
  err: unknown,
  file: string,
  doc: ParsedDocument,
  spec: PipelineFile,
  entryOf: ReadonlyMap<string, number>,
  secrets: readonly string[],
): FileError | CliError {
  if (err instanceof CliError) return err;
  const message = redact(err instanceof Error ? err.message : String(err), secrets);
  if (!SluiceError.is(err)) return new CliError(message);
  const d = err.details;
  let index: number | undefined;
  for (const k of NODE_KEYS) if (typeof d[k] === 'string' && entryOf.has(d[k])) index ??= entryOf.get(d[k]);
  const target = typeof d.target === 'string' ? d.target : typeof d.class === 'string' ? d.class : undefined;
  if (index === undefined && target !== undefined) {
    const i = spec.components.findIndex((c) => c.class === target);
    if (i >= 0) index = i;
  }
  // Last resort: the message names the component in quotes.
  if (index === undefined) for (const [name, i] of entryOf) if (message.includes(`'${name}'`)) index ??= i;
  if (index !== undefined) {
    const entry = spec.components[index]!;
    const onErrorMessage = /@OnError|onError/.test(message);
    // A stage refused the file's default policy: point at the default.
    if (onErrorMessage && entry.onError === undefined && spec.onError !== undefined)
      return new FileError(file, doc.at(['onError'], true), message);
    const onError = onErrorMessage && entry.onError !== undefined;
    // A constructor that refused to build most likely refused its settings.
    const settings = /Could not build/.test(message) && entry.settings !== undefined;
    const key = onError ? 'onError' : settings ? 'settings' : /option/.test(message) && entry.options !== undefined ? 'options' : 'class';
    return new FileError(file, doc.at(['components', index, key], true), message);
  }
  const option = typeof d.option === 'string' ? d.option.split('.')[0]! : undefined;
  if (option !== undefined && option in spec) return new FileError(file, doc.at([option], true), message);
  return new FileError(file, doc.at([]), message);
}

function isStage(component: unknown): boolean {
  return typeof component === 'function' && getStageMetadata(component as never) !== undefined;
}
