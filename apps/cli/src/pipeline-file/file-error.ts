import { CliError } from '../cli-error.js';

/** Where in a pipeline file something is (1-based, as editors count). */
export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A problem of a pipeline file at a line and column: `<file>:<line>:<column>: <message>`, the
 * form editors and CI logs turn into links.
 */
export class FileError extends CliError {
  constructor(
    readonly file: string,
    readonly position: FilePosition,
    readonly detail: string,
  ) {
    super(`${file}:${position.line}:${position.column}: ${detail}`);
    this.name = 'FileError';
  }
}
