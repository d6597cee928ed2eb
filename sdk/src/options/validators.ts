import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isDuration } from '../time/duration.js';

// Small rules class-validator lacks; each names itself so the error says which rule failed.

/** @internal */
export function IsFunction(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isFunction', validator: { validate: (v) => typeof v === 'function', defaultMessage: () => '$property must be a function' } },
    options,
  );
}

/** @internal */
export function IsDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDuration',
      validator: {
        validate: (v) => isDuration(v),
        defaultMessage: () => "$property must be a duration: milliseconds as a number, or a string like '250ms', '1s', '5m'",
      },
    },
    options,
  );
}

/** @internal */
export function IsNameOrNames(options?: ValidationOptions): PropertyDecorator {
  const isName = (v: unknown) => typeof v === 'string' && v.length > 0;
  return ValidateBy(
    {
      name: 'isNameOrNames',
      validator: {
        validate: (v) => isName(v) || (Array.isArray(v) && v.length > 0 && v.every(isName)),
        defaultMessage: () => '$property must be a non-empty name or a non-empty array of names',
      },
    },
    options,
  );
}

/** @internal */
export function IsClassList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isClassList',
      validator: {
        validate: (v) => Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'function'),
        defaultMessage: () => '$property must be a non-empty array of classes',
      },
    },
    options,
  );
}

/** @internal Like IsDuration but accepts undefined, for properties that carry other always-on rules. */
export function IsOptionalDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDuration',
      validator: {
        validate: (v) => v === undefined || isDuration(v),
        defaultMessage: () => "$property must be a duration: milliseconds as a number, or a string like '250ms', '1s', '5m'",
      },
    },
    options,
  );
}

/** @internal Error names/codes (a non-empty array of strings) or a predicate. */
export function IsErrorMatcher(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isErrorMatcher',
      validator: {
        validate: (v) =>
          typeof v === 'function' || (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0)),
        defaultMessage: () => '$property must be a non-empty array of error names or codes, or a function (error) => boolean',
      },
    },
    options,
  );
}
