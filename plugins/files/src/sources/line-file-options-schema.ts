import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsClass } from './is-class.js';

/** @internal The options every line-file source validates (the sources' schemas extend it). */
export class LineFileOptionsSchema {
  @IsOptional()
  @IsClass()
  recordClass?: new () => unknown;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1 << 30)
  maxRecordBytes?: number;

  @IsOptional()
  @IsBoolean()
  follow?: boolean;
}
