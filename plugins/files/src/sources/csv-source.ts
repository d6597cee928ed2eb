import { ArrayNotEmpty, IsArray, IsBoolean, IsOptional, IsString, Length, ValidateBy } from 'class-validator';
import { validateOptions } from '@sluice/sdk';
import { LineFileOptionsSchema } from './line-file-options-schema.js';
import { LineFileSource } from './line-file-source.js';
import type { LineReader } from './line-reader.js';
import { parseCsvLine } from './parse-csv-line.js';
import { validateRecord } from './validate-record.js';

/**
 * How a CSV column's text becomes a value: a built-in type, or a function (which throws to
 * reject the row). Columns without a type stay strings.
 * - `'number'`: any finite number (`1`, `-2.5`, `1e3`); `'integer'`: a whole number;
 * - `'boolean'`: `true` or `false` (any case); `'date'`: anything `new Date(text)` parses.
 * @public
 */
export type CsvColumnType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | ((text: string) => unknown);

/**
 * Options of {@link CsvSource}.
 * @public
 */
export interface CsvSourceOptions<T> {
  /** The field separator, one character (default `,`). */
  delimiter?: string;
  /** The first line names the columns (default true). */
  header?: boolean;
  /** Column names: required without a header; with one, they must equal it. */
  columns?: readonly string[];
  /**
   * How to convert each named column (see {@link CsvColumnType}). Other columns stay strings,
   * except, with `recordClass`, those whose decorated property is declared `number`, `boolean`
   * or `Date`: they convert as that type.
   */
  types?: Readonly<Record<string, CsvColumnType>>;
  /**
   * A class with class-validator decorators: each row (after `types`) becomes an instance and must
   * pass validation, with unknown fields forbidden; a row that fails goes to the dead letters.
   */
  recordClass?: new () => T;
  /** Longest row accepted, in bytes (default 1 MiB). */
  maxRecordBytes?: number;
  /** At the end of the file, keep polling for appended rows instead of ending (default false). */
  follow?: boolean;
}

const TYPE_NAMES = ['string', 'number', 'integer', 'boolean', 'date'];

class CsvSourceOptionsSchema extends LineFileOptionsSchema {
  @IsOptional()
  @IsString()
  @Length(1, 1, { message: 'delimiter must be one character' })
  @ValidateBy({
    name: 'isNotQuoteOrNewline',
    validator: {
      validate: (v) => v !== '"' && v !== '\n' && v !== '\r',
      defaultMessage: () => 'delimiter must not be a quote or a newline',
    },
  })
  delimiter?: string;

  @IsOptional()
  @IsBoolean()
  header?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  columns?: string[];

  @IsOptional()
  @ValidateBy({
    name: 'isColumnTypes',
    validator: {
      validate: (v) =>
        typeof v === 'object' && v !== null && Object.values(v).every((t) => typeof t === 'function' || TYPE_NAMES.includes(t as string)),
      defaultMessage: () => `types must map column names to one of ${TYPE_NAMES.join(', ')} or a function`,
    },
  })
  types?: Record<string, CsvColumnType>;
}

/**
 * A rewindable source of the rows of a CSV file (RFC 4180: quoted fields may hold the delimiter,
 * `""` and newlines), read as a stream. Each row becomes an object keyed by column name, with
 * values converted by `types` and, if given, checked against `recordClass`. Blank lines are
 * skipped. A row with the wrong number of fields, a value that does not convert, a row failing
 * validation or one longer than `maxRecordBytes` goes to the dead letters with a message naming
 * the file and the line (`trades.csv line 4: column "price" is not a number: "abc"`).
 *
 * `position()` is a byte offset; `seek(position)` resumes there (the header is read again on open).
 *
 * @example
 * ```ts
 * const trades = new CsvSource<Trade>('trades.csv', { delimiter: ';', types: { price: 'number', size: 'integer' } })
 * createPipeline({ components: [defineSource({ name: 'trades' }, trades), ...] })
 * ```
 * @see docs/files.md
 * @public
 */
export class CsvSource<T = Record<string, unknown>> extends LineFileSource<T> {
  private readonly delimiter: string;
  private readonly header: boolean;
  private readonly types: Readonly<Record<string, CsvColumnType>>;
  private readonly recordClass: (new () => T) | undefined;
  private columns: readonly string[] | undefined;
  private converters: ((text: string) => unknown)[] = [];
  private headerEnd = 0;

  constructor(path: string, options: CsvSourceOptions<T> = {}) {
    validateOptions(CsvSourceOptionsSchema, options, { decorator: 'CsvSource', target: path });
    super(path, options, true);
    this.delimiter = options.delimiter ?? ',';
    this.header = options.header ?? true;
    this.types = options.types ?? {};
    this.recordClass = options.recordClass;
    this.columns = options.columns;
    if (!this.header && this.columns === undefined)
      throw new Error(`CsvSource on ${path}: without a header row, give the column names in "columns"`);
    if (this.columns !== undefined) this.setColumns(this.columns);
  }

  /** The column names (known once the source is open). */
  get columnNames(): readonly string[] | undefined {
    return this.columns;
  }

  protected override async readPreamble(reader: LineReader): Promise<number> {
    if (!this.header) return 0;
    let line = reader.next();
    while (line === undefined) {
      await reader.fill();
      line = reader.next();
      if (line === undefined && reader.atEnd) break;
    }
    if (line === null || line === undefined || line.oversize !== undefined) {
      throw new Error(
        `${this.path}: no header row${line?.oversize !== undefined ? ' (the first line is longer than maxRecordBytes)' : ''}`,
      );
    }
    const names = parseCsvLine(line.text, this.delimiter);
    if (typeof names === 'string') throw new Error(`${this.path} line 1: bad header row: ${names}`);
    if (this.columns !== undefined && names.join('\u0000') !== this.columns.join('\u0000')) {
      throw new Error(`${this.path}: the header row (${names.join(', ')}) is not the expected columns (${this.columns.join(', ')})`);
    }
    this.setColumns(names);
    this.headerEnd = line.end;
    return line.end;
  }

  protected override dataStart(): number {
    return this.headerEnd;
  }

  protected override decode(text: string): T {
    const fields = parseCsvLine(text, this.delimiter);
    if (typeof fields === 'string') throw new Error(fields);
    const columns = this.columns!;
    if (fields.length !== columns.length)
      throw new Error(`expected ${columns.length} fields (${columns.join(', ')}), got ${fields.length}`);
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = this.converters[i]!(fields[i]!);
    return this.recordClass === undefined ? (row as T) : validateRecord(this.recordClass, row);
  }

  private setColumns(names: readonly string[]): void {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`${this.path}: column "${n}" appears twice`);
      seen.add(n);
    }
    for (const n of Object.keys(this.types)) {
      if (!seen.has(n)) throw new Error(`${this.path}: types names column "${n}", which is not one of ${names.join(', ')}`);
    }
    this.columns = names;
    this.converters = names.map((n) => converter(n, this.types[n] ?? this.declaredType(n)));
  }

  // Without a type in `types`, a column of the record class declared as a number, a boolean or a
  // Date (the compiler's design:type, which any decorator on the property makes it emit) is
  // converted like that type, so that `price!: number` with `@IsNumber()` needs no `types` entry.
  private declaredType(column: string): CsvColumnType {
    if (this.recordClass === undefined) return 'string';
    const type: unknown = Reflect.getMetadata('design:type', this.recordClass.prototype as object, column);
    return type === Number ? 'number' : type === Boolean ? 'boolean' : type === Date ? 'date' : 'string';
  }
}

function converter(column: string, type: CsvColumnType): (text: string) => unknown {
  const fail = (what: string, text: string) => new Error(`column "${column}" is not ${what}: ${JSON.stringify(text)}`);
  switch (type) {
    case 'string':
      return (t) => t;
    case 'number':
      return (t) => {
        const n = t.trim() === '' ? NaN : Number(t);
        if (!Number.isFinite(n)) throw fail('a number', t);
        return n;
      };
    case 'integer':
      return (t) => {
        const n = t.trim() === '' ? NaN : Number(t);
        if (!Number.isSafeInteger(n)) throw fail('an integer', t);
        return n;
      };
    case 'boolean':
      return (t) => {
        const l = t.trim().toLowerCase();
        if (l === 'true') return true;
        if (l === 'false') return false;
        throw fail('a boolean (true or false)', t);
      };
    case 'date':
      return (t) => {
        const d = new Date(t);
        if (t.trim() === '' || Number.isNaN(d.getTime())) throw fail('a date', t);
        return d;
      };
    default:
      return (t) => {
        try {
          return type(t);
        } catch (err) {
          throw new Error(`column "${column}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      };
  }
}
