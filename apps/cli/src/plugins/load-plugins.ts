import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONCURRENCY_LIMITER, ERROR_STRATEGY, OVERFLOW_POLICY, RATE_LIMITER, SDK_MAJOR, type SluicePlugin } from '@sluice/sdk';

// The tokens under which strategies are bound by name: what a file's options pick them by.
const STRATEGY_TOKENS = new Map<unknown, string>([
  [RATE_LIMITER, 'RATE_LIMITER'],
  [ERROR_STRATEGY, 'ERROR_STRATEGY'],
  [OVERFLOW_POLICY, 'OVERFLOW_POLICY'],
  [CONCURRENCY_LIMITER, 'CONCURRENCY_LIMITER'],
]);

/** The strategies a plugin binds, as [token name, strategy name]. */
function strategyNames(plugin: SluicePlugin): [string, string][] {
  const out: [string, string][] = [];
  for (const p of plugin.providers ?? []) {
    if (typeof p !== 'object' || p === null || !('useValue' in p)) continue;
    const token = STRATEGY_TOKENS.get(p.provide);
    const name = (p.useValue as { name?: unknown } | null)?.name;
    if (token !== undefined && typeof name === 'string') out.push([token, name]);
  }
  return out;
}

/** A plugin loaded for a pipeline file, with the spec that named it. */
export interface LoadedPlugin {
  readonly spec: string;
  readonly plugin: SluicePlugin;
}

/** Why a plugin could not be loaded; `index` is its place in the file's `plugins:` list. */
export class PluginLoadError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'PluginLoadError';
  }
}

const isLocal = (spec: string) => spec.startsWith('.') || isAbsolute(spec);

/**
 * Loads the plugins a pipeline file names, in order. A spec is an npm package name, resolved
 * from the file's folder as Node would from a module there, or a local path (`./x`, `/x`)
 * relative to the file. Each module's `plugin` export (or default export) must be a
 * {@link SluicePlugin} built for this SDK major; two plugins may not export the same component
 * name, nor bind a strategy (rate limiter, error strategy, ...) under the same name.
 */
export async function loadPlugins(specs: readonly string[], pipelineFile: string): Promise<LoadedPlugin[]> {
  const file = resolve(pipelineFile);
  // Resolving from the file (not from the CLI) lets a project pin its plugins in its own node_modules.
  const require = createRequire(file);
  const loaded: LoadedPlugin[] = [];
  const owners = new Map<string, string>();
  const strategyOwners = new Map<string, string>();
  for (const [index, spec] of specs.entries()) {
    let path: string;
    try {
      path = require.resolve(isLocal(spec) ? resolve(file, '..', spec) : spec);
    } catch {
      throw new PluginLoadError(
        isLocal(spec)
          ? `plugin "${spec}" not found: no module at ${resolve(file, '..', spec)} (relative to ${pipelineFile})`
          : `plugin "${spec}" not found: the package is not installed where ${pipelineFile} is (npm install ${spec})`,
        index,
      );
    }
    let mod: { plugin?: unknown; default?: unknown };
    try {
      mod = (await import(pathToFileURL(path).href)) as typeof mod;
    } catch (err) {
      // A plugin that throws while loading is the plugin's fault: say which, without its stack.
      throw new PluginLoadError(`plugin "${spec}" failed to load: ${err instanceof Error ? err.message : String(err)}`, index);
    }
    const plugin = asPlugin(mod.plugin ?? mod.default, spec, index);
    for (const name of Object.keys(plugin.components ?? {})) {
      const other = owners.get(name);
      if (other !== undefined) {
        throw new PluginLoadError(
          `component "${name}" is exported by two plugins, ${other} and ${plugin.name}, expected unique names`,
          index,
        );
      }
      owners.set(name, plugin.name);
    }
    for (const [token, name] of strategyNames(plugin)) {
      const key = `${token}\u0000${name}`;
      const other = strategyOwners.get(key);
      if (other !== undefined) {
        throw new PluginLoadError(
          `strategy "${name}" (${token}) is bound by two plugins, ${other} and ${plugin.name}, expected unique names: a pipeline picks strategies by name`,
          index,
        );
      }
      strategyOwners.set(key, plugin.name);
    }
    loaded.push({ spec, plugin });
  }
  return loaded;
}

function asPlugin(value: unknown, spec: string, index: number): SluicePlugin {
  const p = value as Partial<SluicePlugin> | undefined;
  if (typeof p !== 'object' || p === null || typeof p.name !== 'string' || typeof p.version !== 'string' || typeof p.sdk !== 'number') {
    throw new PluginLoadError(
      `"${spec}" is not a Sluice plugin, expected its module to export \`plugin\` (or a default export) of the shape { name, version, sdk, components?, providers? }`,
      index,
    );
  }
  if (p.sdk !== SDK_MAJOR) {
    throw new PluginLoadError(
      `plugin ${p.name}@${p.version} was built for SDK major ${p.sdk}, expected SDK major ${SDK_MAJOR} (this sluice's @sluice/sdk)`,
      index,
    );
  }
  if (p.components !== undefined && (typeof p.components !== 'object' || p.components === null)) {
    throw new PluginLoadError(`plugin ${p.name}: "components" must be an object of classes by name`, index);
  }
  return p as SluicePlugin;
}
