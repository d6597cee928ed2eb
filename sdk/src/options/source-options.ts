import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { NAME_PATTERN } from './stage-options.js';
import { IsFunction } from './validators.js';

/**
 * Options of {@link Source}.
 * @public
 */
export interface SourceOptions<T = never> {
  /** The source's unique name; stages read from it with `from:`. */
  name: string;
  /** The most records asked for in one `read` (default: the pipeline's `batchSize`). */
  batchSize?: number;
  /** Extracts each record's event time in ms since the epoch. */
  eventTime?: (value: T) => number;
}

/**
 * The class-validator schema of {@link SourceOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(SourceOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class SourceOptionsSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must start with a letter, digit or _ and contain only letters, digits, _ . - /' })
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  batchSize?: number;

  @IsOptional()
  @IsFunction()
  eventTime?: (value: never) => number;
}
