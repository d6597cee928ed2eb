const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → `1,234,567`. */
export function int(n: number): string {
  return grouped.format(n);
}

/** 1234567 → `1.23M`, 45200 → `45.2k`. */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
