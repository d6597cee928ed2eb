import { ErrorCodes, SluiceError } from '@sluice/sdk';

/**
 * What a pipeline's settings change in one component, on top of its decorators: the place where
 * a pipeline file (or any code that builds a pipeline from data) picks strategies by name and
 * sets their options without touching the class.
 * @public
 */
export interface ComponentOverride {
  /**
   * Options merged over the component's `@Stage`/`@Source`/`@Sink` options (key by key; a key
   * set here replaces the decorator's). Checked by the same rules as the decorator's. `name`
   * cannot change; use the pipeline's `edges` to change `from`.
   */
  readonly options?: Readonly<Record<string, unknown>>;
  /** A stage's `@OnError` options, merged the same way over the decorator's (or used alone). */
  readonly onError?: Readonly<Record<string, unknown>>;
}

/** @internal The pipeline's overrides by component name, and which of them were used. */
export class ComponentOverrides {
  private readonly used = new Set<string>();

  constructor(private readonly byName: Readonly<Record<string, ComponentOverride>> = {}) {
    for (const [name, o] of Object.entries(byName)) {
      const refuse = (message: string) =>
        new SluiceError(ErrorCodes.INVALID_OPTION, `The pipeline's overrides for '${name}': ${message}`, { details: { node: name } });
      if (typeof o !== 'object' || o === null) throw refuse('must be an object with "options" and/or "onError"');
      for (const key of Object.keys(o))
        if (key !== 'options' && key !== 'onError') throw refuse(`"${key}" is not known (an override takes "options" and "onError")`);
      for (const key of ['options', 'onError'] as const)
        if (o[key] !== undefined && (typeof o[key] !== 'object' || o[key] === null || Array.isArray(o[key])))
          throw refuse(`"${key}" must be an object of options`);
      if (o.options !== undefined && 'name' in o.options)
        throw refuse('"options.name" cannot be overridden: the name is how the override finds it');
      if (o.options !== undefined && 'from' in o.options)
        throw refuse('"options.from" cannot be overridden here: use the pipeline\'s edges');
    }
  }

  /** `options` with the override of component `name` merged over them. */
  options<T extends object>(name: string, options: T): T {
    const o = this.byName[name]?.options;
    if (o === undefined) return options;
    this.used.add(`${name}\0options`);
    return { ...options, ...o };
  }

  /** How validation errors name decorator options of `name`: saying when an override took part. */
  label(decorator: string, name: string, kind: 'options' | 'onError' = 'options'): string {
    return this.byName[name]?.[kind] === undefined ? decorator : `${decorator} (with the pipeline's overrides for '${name}')`;
  }

  /** A stage's `@OnError` options with its override merged over them (or the override alone). */
  onError<T extends object>(name: string, onError: T | undefined): T | undefined {
    const o = this.byName[name]?.onError;
    if (o === undefined) return onError;
    this.used.add(`${name}\0onError`);
    return { ...(onError ?? {}), ...o } as T;
  }

  /** Refuses overrides of names that no component of the pipeline has. */
  checkAllUsed(known: readonly string[]): void {
    for (const [name, o] of Object.entries(this.byName)) {
      for (const key of ['options', 'onError'] as const) {
        if (o[key] === undefined || this.used.has(`${name}\0${key}`)) continue;
        const reason = known.includes(name) ? `it is not a stage, so "${key}" does not apply` : 'no component has that name';
        throw new SluiceError(
          ErrorCodes.INVALID_OPTION,
          `The pipeline's overrides name '${name}', but ${reason} (components: ${known.join(', ')})`,
          { details: { node: name, option: key } },
        );
      }
    }
  }
}
