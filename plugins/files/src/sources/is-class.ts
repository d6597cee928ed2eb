import { ValidateBy, type ValidationOptions } from 'class-validator';

/** @internal class-validator rule: the value is a class (a constructor function). */
export function IsClass(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isClass',
      validator: {
        validate: (v) => typeof v === 'function' && v.prototype !== undefined,
        defaultMessage: () => '$property must be a class',
      },
    },
    options,
  );
}
