import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateBy,
  ValidateNested,
  validateSync,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';
import type { DocPath } from './parse-document.js';

// The schema of a pipeline file as class-validator classes, in the style of the sdk's option
// schemas. Each rule's message is what was expected: the error says what was found before it.

const expected = (text: string): ValidationOptions => ({ message: `expected ${text}` });
const DURATION = expected("a duration ('500ms', '1s') or a number of ms");
// Rules that several sections share, each one decorator.
const all =
  (...rules: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const rule of rules) rule(target, key);
  };
const IsCount = () => all(IsInt(expected('an integer of at least 1')), Min(1, expected('an integer of at least 1')));
const IsBucketName = () => all(IsString(expected('a KV bucket name')), IsNotEmpty(expected('a KV bucket name')));
const IsNatsConnection = () =>
  IsObject(expected('an object of NATS connection options ({ servers, user?, pass?, token?, credsFile?, tls? })'));
const IsDurationLike = () =>
  ValidateBy({ name: 'isDurationLike', validator: { validate: (v) => typeof v === 'string' || typeof v === 'number' } }, DURATION);

/** `checkpoints:` of a pipeline file. */
export class CheckpointsSection {
  @IsIn(['memory', 'file', 'nats-kv'], expected("'memory', 'file' or 'nats-kv'"))
  store!: 'memory' | 'file' | 'nats-kv';

  @IsOptional()
  @IsString(expected('a folder, relative to the file'))
  @IsNotEmpty(expected('a folder, relative to the file'))
  dir?: string;

  @IsOptional()
  @IsDurationLike()
  interval?: string | number;

  @IsOptional()
  @IsIn(['exactly-once', 'at-least-once'], expected("'exactly-once' or 'at-least-once'"))
  mode?: 'exactly-once' | 'at-least-once';

  /** store: nats-kv — the connection (the keys of NatsConnectionOptions). */
  @IsOptional()
  @IsNatsConnection()
  nats?: Record<string, unknown>;

  /** store: nats-kv — the KV bucket (default sluice-checkpoints). */
  @IsOptional()
  @IsBucketName()
  bucket?: string;

  /** store: nats-kv — replicas of the bucket when it is created. */
  @IsOptional()
  @IsCount()
  replicas?: number;
}

/** `monitoring:` of a pipeline file. */
export class MonitoringSection {
  @IsOptional()
  @IsInt(expected('a port number (0: any free port)'))
  @Min(0, expected('a port number (0: any free port)'))
  port?: number;

  @IsOptional()
  @IsString(expected('a host name or address'))
  @IsNotEmpty(expected('a host name or address'))
  host?: string;

  @IsOptional()
  @IsString(expected('a string (a bearer token)'))
  token?: string;

  @IsOptional()
  @IsBoolean(expected('true or false'))
  terminal?: boolean;
}

/** `scaleOut:` of a pipeline file: workers share its partitions through leases in NATS. */
export class ScaleOutSection {
  @IsCount()
  partitions!: number;

  @IsNatsConnection()
  nats!: Record<string, unknown>;

  @IsOptional()
  @IsDurationLike()
  leaseTtl?: string | number;

  @IsOptional()
  @IsBucketName()
  bucket?: string;

  @IsOptional()
  @IsCount()
  replicas?: number;

  @IsOptional()
  @IsString(expected("this worker's id, unique among the live workers"))
  @IsNotEmpty(expected("this worker's id, unique among the live workers"))
  worker?: string;
}

/** `deadLetters:` of a pipeline file. */
export class DeadLettersSection {
  @IsString(expected('a JSON-lines file, relative to the pipeline file'))
  @IsNotEmpty(expected('a JSON-lines file, relative to the pipeline file'))
  file!: string;
}

/** One `components:` entry. */
export class ComponentEntry {
  @IsString(expected("a class name from a plugin's components"))
  @IsNotEmpty(expected("a class name from a plugin's components"))
  class!: string;

  @IsOptional()
  @IsString(expected('a node name'))
  @IsNotEmpty(expected('a node name'))
  name?: string;

  @IsOptional()
  @ValidateBy(
    {
      name: 'isFrom',
      validator: { validate: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) },
    },
    expected('a name or a list of names'),
  )
  from?: string | string[];

  @IsOptional()
  @IsObject(expected('an object of the decorator options'))
  options?: Record<string, unknown>;

  @IsOptional()
  @IsObject(expected('an object of @OnError options'))
  onError?: Record<string, unknown>;

  @IsOptional()
  @IsObject(expected('an object of the class settings'))
  settings?: Record<string, unknown>;
}

/** A whole pipeline file (see docs/pipeline-file.md). */
export class PipelineFile {
  @IsString(expected('a non-empty string'))
  @IsNotEmpty(expected('a non-empty string'))
  name!: string;

  @IsOptional()
  @IsArray(expected('a list of package names or paths'))
  @IsString({ each: true, ...expected('a list of package names or paths') })
  @IsNotEmpty({ each: true, ...expected('a list of package names or paths') })
  plugins?: string[];

  @IsArray(expected('a list of components'))
  @ValidateNested({ each: true, ...expected('a component ({ class, name?, from?, options?, onError?, settings? })') })
  @Type(() => ComponentEntry)
  components!: ComponentEntry[];

  /** The error policy of every stage that declares none (neither `@OnError` on its class nor `onError` in its entry). */
  @IsOptional()
  @IsObject(expected('an object of @OnError options'))
  onError?: Record<string, unknown>;

  @IsOptional()
  @ValidateNested(expected("an object ({ store: 'memory' | 'file', dir?, interval?, mode? })"))
  @Type(() => CheckpointsSection)
  checkpoints?: CheckpointsSection;

  @IsOptional()
  @ValidateNested(expected('an object ({ partitions, nats, leaseTtl?, bucket?, replicas?, worker? })'))
  @Type(() => ScaleOutSection)
  scaleOut?: ScaleOutSection;

  @IsOptional()
  @ValidateNested(expected('an object ({ file })'))
  @Type(() => DeadLettersSection)
  deadLetters?: DeadLettersSection;

  @IsOptional()
  @ValidateNested(expected('an object ({ port?, host?, token?, terminal? })'))
  @Type(() => MonitoringSection)
  monitoring?: MonitoringSection;

  @IsOptional()
  @IsDurationLike()
  statsInterval?: string | number;

  @IsOptional()
  @IsCount()
  batchSize?: number;

  @IsOptional()
  @IsCount()
  channelCapacity?: number;
}

/** A refused value: where, what, and what was expected. */
export interface SchemaProblem {
  readonly path: DocPath;
  /** True when the problem is the key itself (unknown), not its value. */
  readonly key: boolean;
  readonly message: string;
}

/** The known keys of each section, for the message of an unknown key. */
const KEYS = new Map<unknown, readonly string[]>([
  [
    PipelineFile,
    [
      'name',
      'plugins',
      'components',
      'onError',
      'checkpoints',
      'deadLetters',
      'scaleOut',
      'monitoring',
      'statsInterval',
      'batchSize',
      'channelCapacity',
    ],
  ],
  [ComponentEntry, ['class', 'name', 'from', 'options', 'onError', 'settings']],
  [CheckpointsSection, ['store', 'dir', 'interval', 'mode', 'nats', 'bucket', 'replicas']],
  [MonitoringSection, ['port', 'host', 'token', 'terminal']],
  [DeadLettersSection, ['file']],
  [ScaleOutSection, ['partitions', 'nats', 'leaseTtl', 'bucket', 'replicas', 'worker']],
]);

/** The first problem of a file's value against {@link PipelineFile}, or undefined when it conforms. */
export function checkSchema(value: unknown): SchemaProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { path: [], key: false, message: `the file is ${describe(value)}, expected an object with name, plugins, components, ...` };
  }
  const instance = plainToInstance(PipelineFile, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length === 0 ? undefined : firstProblem(errors[0]!, []);
}

function firstProblem(e: ValidationError, parent: DocPath): SchemaProblem {
  // The items of a list are reported under their index.
  const path = [...parent, /^\d+$/.test(e.property) ? Number(e.property) : e.property];
  const where = parent.length === 0 ? 'the file' : `"${parent.join('.')}"`;
  const constraints = Object.entries(e.constraints ?? {});
  if (constraints.length === 0 && e.children !== undefined && e.children.length > 0) return firstProblem(e.children[0]!, path);
  const [rule, message] = constraints[0] ?? ['', 'is not valid'];
  if (rule === 'whitelistValidation') {
    const known = KEYS.get(e.target?.constructor) ?? [];
    return { path, key: true, message: `unknown key "${e.property}" in ${where}, expected one of ${known.join(', ')}` };
  }
  // A rule on each item of a list (`plugins`) failed: point at the first item that breaks it.
  if (Array.isArray(e.value) && rule !== 'isArray') {
    const i = e.value.findIndex((item) => typeof item !== 'string' || item === '');
    if (i >= 0) return { path: [...path, i], key: false, message: `"${[...path, i].join('.')}" is ${describe(e.value[i])}, ${message}` };
  }
  if (e.value === undefined) return { path: parent, key: false, message: `${where} has no "${e.property}", ${message}` };
  return { path, key: false, message: `"${path.join('.')}" is ${describe(e.value)}, ${message}` };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
