/**
 * A service a plugin binds in the container: a value, a class or a factory under a token — the
 * same shapes as core's `Provider` (strategies under `RATE_LIMITER`, `ERROR_STRATEGY`, ...,
 * monitors under `PIPELINE_MONITOR`, services its stages inject).
 * @public
 */
export type PluginProvider =
  | (abstract new (...args: never[]) => unknown)
  | { readonly provide: symbol | string | (abstract new (...args: never[]) => unknown); readonly useValue: unknown }
  | {
      readonly provide: symbol | string | (abstract new (...args: never[]) => unknown);
      readonly useClass: new (...args: never[]) => unknown;
    }
  | { readonly provide: symbol | string | (abstract new (...args: never[]) => unknown); readonly useFactory: () => unknown };

/**
 * What a plugin package exports (as `plugin`, or as its default export): its name and version,
 * the SDK major it was built against, and what it binds in the container. A host (the `sluice`
 * CLI, or `createPipeline({ modules: [plugin] })` in code) loads only the plugins a pipeline
 * names, refuses one built for another SDK major, and refuses two that bind the same name.
 *
 * @example
 * ```ts
 * export const plugin: SluicePlugin = {
 *   name: '@acme/sluice-quotes',
 *   version: '1.2.0',
 *   sdk: SDK_MAJOR,
 *   components: { QuoteFeed, SpreadFilter },
 *   providers: [{ provide: RATE_LIMITER, useValue: { name: 'acme-quota', create: (o) => new AcmeQuota(o) } }],
 * }
 * ```
 * @see docs/plugin-authoring.md
 * @public
 */
export interface SluicePlugin {
  /** The package's name (`@acme/sluice-quotes`): errors and `sluice graph` name it. */
  readonly name: string;
  /** The package's version. */
  readonly version: string;
  /** The major version of `@sluice/sdk` it was built against (`SDK_MAJOR` at build time). */
  readonly sdk: number;
  /**
   * Its stage, source, sink and composite classes (and connector definitions), by the name a
   * pipeline file uses for them (`class: SpreadFilter`). Names are unique across the plugins a
   * pipeline loads.
   */
  readonly components?: Readonly<Record<string, unknown>>;
  /** Services and strategies it binds. Strategies are bound under their names; two plugins may not bind the same name. */
  readonly providers?: readonly PluginProvider[];
}

/**
 * The major version of this `@sluice/sdk`. A plugin records the one it was built against in
 * {@link SluicePlugin.sdk}; a host refuses a plugin whose major differs from its own.
 * @public
 */
export const SDK_MAJOR = 0;
