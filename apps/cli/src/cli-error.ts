/** A failure the CLI reports as one line on stderr with exit code 1 (no stack: it is the user's to fix). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
