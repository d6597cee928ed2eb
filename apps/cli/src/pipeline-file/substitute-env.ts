import type { DocPath } from './parse-document.js';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The partition a scaled-out worker builds the pipeline for (`scaleOut`): set by `sluice run`
 * for each partition it holds, 0 for `validate` and `graph`. Not a secret: never redacted.
 */
export const PARTITION_VARIABLE = 'SLUICE_PARTITION';

/** The result of {@link substituteEnv}: the value with variables replaced, and the values that came from the environment. */
export interface Substituted {
  readonly value: unknown;
  readonly secrets: readonly string[];
}

/**
 * Replaces `${NAME}` in every string of `value` by the environment variable NAME. An unset
 * variable is reported through `unset` with the path of its string. The values used are
 * returned so that every message can redact them: secrets are never echoed.
 */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  unset: (name: string, path: DocPath) => never,
  path: DocPath = [],
  secrets: Set<string> = new Set(),
): Substituted {
  const walk = (v: unknown, p: DocPath): unknown => {
    if (typeof v === 'string') {
      return v.replace(VARIABLE, (_, name: string) => {
        const found = env[name];
        if (found === undefined) unset(name, p);
        if (found !== '' && name !== PARTITION_VARIABLE) secrets.add(found);
        return found;
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...p, i]));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...p, k])]));
    }
    return v;
  };
  return { value: walk(value, path), secrets: [...secrets] };
}

/** `text` with every secret replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  // Longest first, so that a secret containing another is hidden whole.
  return [...secrets].sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join('***'), text);
}
