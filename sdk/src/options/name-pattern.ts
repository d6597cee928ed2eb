/**
 * A component name: letters, digits, `_`, `-`, `.` and `/` (the last is used for stages inside
 * composites).
 *
 * @example
 * ```ts
 * NAME_PATTERN.test('prices/enriched')   // true
 * ```
 * @public
 */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;
