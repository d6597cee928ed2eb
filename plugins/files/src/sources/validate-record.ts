import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/**
 * @internal Turns a decoded plain object into an instance of `recordClass` and checks it with
 * class-validator (unknown fields are errors, as in the SDK's option checks). Returns the
 * instance, or throws an Error whose message lists every problem as `field "x" <rule text>`.
 */
export function validateRecord<T>(recordClass: new () => T, plain: unknown): T {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new Error(
      `expected an object for ${recordClass.name}, got ${Array.isArray(plain) ? 'an array' : plain === null ? 'null' : typeof plain}`,
    );
  }
  const instance = plainToInstance(recordClass, plain);
  const errors = validateSync(instance as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new Error(problems(errors, '', recordClass.name).join('; '));
  return instance;
}

function problems(errors: readonly ValidationError[], prefix: string, className: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = prefix === '' ? e.property : `${prefix}.${e.property}`;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      // class-validator starts its messages with the property name; ours names the field first.
      const rest = message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message;
      out.push(`field "${path}" ${rule === 'whitelistValidation' ? `is not a field of ${className}` : rest}`);
    }
    if (e.children !== undefined && e.children.length > 0) out.push(...problems(e.children, path, className));
  }
  return out;
}
