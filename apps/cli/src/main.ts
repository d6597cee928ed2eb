#!/usr/bin/env node
import { SluiceError } from '@sluice/sdk';
import { CliError } from './cli-error.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError || SluiceError.is(err)) {
    console.error(`sluice: ${err.message}`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  } else throw err;
}
