import { IsOptional, IsString, Matches } from 'class-validator';
import { NAME_PATTERN } from './stage-options.js';
import { IsClassList, IsNameOrNames } from './validators.js';

/**
 * The input name that stages inside a composite read from: it stands for whatever the
 * composite itself reads (`from:` of the composite).
 * @public
 */
export const COMPOSITE_INPUT = '$input';

/**
 * Options of {@link Composite}.
 * @public
 */
export interface CompositeOptions {
  /** The composite's name: downstream stages read its output with `from: name`. */
  name: string;
  /** The composite's input(s). */
  from?: string | readonly string[];
  /** The stage classes inside; the first ones read from {@link COMPOSITE_INPUT}. */
  stages: readonly (abstract new (...args: never[]) => unknown)[];
  /** The inner stage whose output is the composite's output. */
  output: string;
}

/**
 * The class-validator schema of {@link CompositeOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(CompositeOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class CompositeOptionsSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must start with a letter, digit or _ and contain only letters, digits, _ . - /' })
  name!: string;

  @IsOptional()
  @IsNameOrNames()
  from?: string | string[];

  @IsClassList()
  stages!: unknown[];

  @IsString()
  output!: string;
}
