import type { DocPath } from './parse-document.js';

/** The shape of a pipeline file, as checked (see docs/pipeline-file.md). */
export interface PipelineFile {
  name: string;
  plugins: string[];
  components: ComponentEntry[];
  checkpoints?: { store: 'memory' | 'file'; dir?: string; interval?: string | number; mode?: 'exactly-once' | 'at-least-once' };
  monitoring?: { port?: number; host?: string; token?: string; terminal?: boolean };
  statsInterval?: string | number;
  batchSize?: number;
  channelCapacity?: number;
}

/** One `components:` entry. */
export interface ComponentEntry {
  class: string;
  name?: string;
  from?: string | string[];
  options?: Record<string, unknown>;
  onError?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** A rule: what a value must be, in words for the message, and a test. */
interface Rule {
  readonly expected: string;
  readonly test: (v: unknown) => boolean;
  /** For objects: the rules of their keys (unknown keys are refused), and which are required. */
  readonly keys?: Readonly<Record<string, Rule>>;
  readonly required?: readonly string[];
  /** For arrays: the rule of each item. */
  readonly items?: Rule;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Rule = { expected: 'a string', test: (v) => typeof v === 'string' };
const nonEmpty: Rule = { expected: 'a non-empty string', test: (v) => typeof v === 'string' && v !== '' };
const int = (min: number): Rule => ({
  expected: `an integer of at least ${min}`,
  test: (v) => Number.isInteger(v) && (v as number) >= min,
});
const duration: Rule = {
  expected: "a duration ('500ms', '1s') or a number of ms",
  test: (v) => typeof v === 'string' || typeof v === 'number',
};
const oneOf = (...values: string[]): Rule => ({
  expected: values.map((x) => `'${x}'`).join(' or '),
  test: (v) => values.includes(v as string),
});
const bool: Rule = { expected: 'true or false', test: (v) => typeof v === 'boolean' };
const object = (keys: Record<string, Rule>, required: string[] = [], expected = 'an object'): Rule => ({
  expected,
  test: isObject,
  keys,
  required,
});
const freeObject = (expected: string): Rule => ({ expected, test: isObject });
const arrayOf = (items: Rule, expected: string): Rule => ({ expected, test: Array.isArray, items });

const component = object(
  {
    class: nonEmpty,
    name: nonEmpty,
    from: {
      expected: 'a name or a list of names',
      test: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
    },
    options: freeObject('an object of the decorator options'),
    onError: freeObject('an object of @OnError options'),
    settings: freeObject('an object of the class settings'),
  },
  ['class'],
  'a component ({ class, name?, from?, options?, onError?, settings? })',
);

/** The rules of the whole file. */
export const FILE_RULES: Rule = object(
  {
    name: nonEmpty,
    plugins: arrayOf(nonEmpty, 'a list of package names or paths'),
    components: arrayOf(component, 'a list of components'),
    checkpoints: object(
      { store: oneOf('memory', 'file'), dir: nonEmpty, interval: duration, mode: oneOf('exactly-once', 'at-least-once') },
      ['store'],
    ),
    monitoring: object({ port: int(0), host: nonEmpty, token: str, terminal: bool }),
    statsInterval: duration,
    batchSize: int(1),
    channelCapacity: int(1),
  },
  ['name', 'components'],
  'a pipeline file (an object with name, plugins, components, ...)',
);

/** A refused value: where, what, and what was expected. */
export interface SchemaProblem {
  readonly path: DocPath;
  /** True when the problem is the key itself (unknown), not its value. */
  readonly key: boolean;
  readonly message: string;
}

/** The first problem of `value` against `rule`, or undefined when it conforms. */
export function checkSchema(value: unknown, rule: Rule = FILE_RULES, path: DocPath = []): SchemaProblem | undefined {
  const where = path.length === 0 ? 'the file' : `"${path.join('.')}"`;
  if (!rule.test(value)) return { path, key: false, message: `${where} is ${describe(value)}, expected ${rule.expected}` };
  if (rule.keys !== undefined && isObject(value)) {
    for (const k of Object.keys(value)) {
      if (!(k in rule.keys)) {
        return {
          path: [...path, k],
          key: true,
          message: `unknown key "${k}" in ${where}, expected one of ${Object.keys(rule.keys).join(', ')}`,
        };
      }
    }
    for (const k of rule.required ?? []) {
      if (value[k] === undefined) return { path, key: false, message: `${where} has no "${k}", expected ${rule.keys[k]!.expected}` };
    }
    for (const [k, sub] of Object.entries(rule.keys)) {
      if (value[k] === undefined) continue;
      const p = checkSchema(value[k], sub, [...path, k]);
      if (p !== undefined) return p;
    }
  }
  if (rule.items !== undefined && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const p = checkSchema(item, rule.items, [...path, i]);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
