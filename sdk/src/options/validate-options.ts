import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ErrorCodes } from '../errors/codes.js';
import { SluiceError } from '../errors/sluice-error.js';

/**
 * Checks decorator options against their schema class. On failure throws one
 * {@link SluiceError} (`SLUICE_ERR_INVALID_OPTION`) whose message names the decorator, the class,
 * every offending option (with its path for nested options) and the rule it broke.
 *
 * @param schema - the class-validator schema class
 * @param options - the plain options as the user wrote them
 * @param where - who declared them, e.g. `{ decorator: '@Stage', target: 'ValidTicks' }`
 * @returns the options, unchanged
 * @example
 * ```ts
 * validateOptions(StageOptionsSchema, { name: 'x', concurrency: 0 }, { decorator: '@Stage', target: 'Enrich' })
 * // SluiceError: @Stage on Enrich: option "concurrency" must not be less than 1 (rule: min)
 * ```
 * @public
 */
export function validateOptions<T extends object>(schema: new () => object, options: T, where: { decorator: string; target: string }): T {
  if (typeof options !== 'object' || options === null) {
    throw new SluiceError(ErrorCodes.INVALID_OPTION, `${where.decorator} on ${where.target}: options must be an object`, {
      details: { ...where },
    });
  }
  const instance = plainToInstance(schema, options as object);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length === 0) return options;
  const problems = flatten(errors, '');
  const text = problems.map((p) => `option "${p.path}" ${p.message} (rule: ${p.rule})`).join('; ');
  throw new SluiceError(ErrorCodes.INVALID_OPTION, `${where.decorator} on ${where.target}: ${text}`, {
    details: { ...where, problems },
  });
}

interface Problem {
  path: string;
  rule: string;
  message: string;
}

function flatten(errors: readonly ValidationError[], prefix: string): Problem[] {
  const out: Problem[] = [];
  for (const e of errors) {
    const path = prefix === '' ? e.property : `${prefix}.${e.property}`;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      // class-validator starts messages with the property name; keep the rest, our text names the path.
      const rest = message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message;
      out.push({ path, rule, message: rule === 'whitelistValidation' ? 'is not a known option' : rest });
    }
    if (e.children !== undefined && e.children.length > 0) out.push(...flatten(e.children, path));
  }
  return out;
}
