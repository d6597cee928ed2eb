/** Label names and values of one sample. */
export type Labels = Readonly<Record<string, string>>;

/**
 * One metric family being written in the Prometheus text format 0.0.4: its `# HELP` and
 * `# TYPE` lines, then its samples. A family with no samples is still written (HELP and TYPE
 * only), which is valid.
 */
export class MetricFamily {
  private readonly lines: string[] = [];

  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge' | 'summary',
    readonly help: string,
  ) {}

  /** Adds a sample of the family itself (`suffix` for a summary's `_sum`/`_count`). */
  sample(labels: Labels, value: number, suffix = ''): this {
    if (!Number.isFinite(value) && !Number.isNaN(value)) {
      this.lines.push(`${this.name}${suffix}${formatLabels(labels)} ${value > 0 ? '+Inf' : '-Inf'}`);
    } else {
      this.lines.push(`${this.name}${suffix}${formatLabels(labels)} ${formatValue(value)}`);
    }
    return this;
  }

  /** The family's text, ending with a newline. */
  toString(): string {
    const head = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
    return head + this.lines.map((l) => l + '\n').join('');
  }
}

/** `{a="x",b="y"}`, or nothing without labels. */
export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return '{' + entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',') + '}';
}

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return Number.isInteger(value) ? value.toString() : String(value);
}
