/**
 * @internal The accumulators of one window, one per state key, in the order the keys first
 * arrived (results fire in that order).
 *
 * With `stringsInDictionary`, string keys live in a null-prototype dictionary: when a window
 * holds few keys, each seen many times, its keyed load is cheaper than `Map#get` (~5% of the whole
 * tick benchmark with 200 keys). Inserting into a large dictionary costs more than into a Map,
 * though (~10% slower with 100,000 keys), so the operator turns it off once windows hold many
 * keys. Other keys (numbers, booleans, …) always use the Map, so `1` and `'1'` stay different.
 */
export class WindowGroup {
  /** State keys in first-arrival order. */
  readonly keys: unknown[] = [];
  private readonly byString: Record<string, unknown> | undefined;
  private readonly byOther = new Map<unknown, unknown>();

  constructor(stringsInDictionary: boolean) {
    this.byString = stringsInDictionary ? (Object.create(null) as Record<string, unknown>) : undefined;
  }

  /** A group again from what a checkpoint kept of one (a plain copy of its fields). */
  static from(raw: unknown, stringsInDictionary: boolean): WindowGroup {
    const r = raw as { keys: unknown[]; byString?: Record<string, unknown>; byOther: Map<unknown, unknown> };
    const group = new WindowGroup(stringsInDictionary);
    for (const sk of r.keys) {
      const fromString = typeof sk === 'string' && r.byString !== undefined && Object.hasOwn(r.byString, sk);
      group.add(sk, fromString ? r.byString![sk as string] : r.byOther.get(sk));
    }
    return group;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key's accumulator, or undefined when it has none (or when it is undefined: see `has`). */
  get(sk: unknown): unknown {
    const byString = this.byString;
    return typeof sk === 'string' && byString !== undefined ? byString[sk] : this.byOther.get(sk);
  }

  has(sk: unknown): boolean {
    const byString = this.byString;
    return typeof sk === 'string' && byString !== undefined ? sk in byString : this.byOther.has(sk);
  }

  /** A key without an accumulator yet. */
  add(sk: unknown, acc: unknown): void {
    this.keys.push(sk);
    this.replace(sk, acc);
  }

  /** A key that has one. */
  replace(sk: unknown, acc: unknown): void {
    const byString = this.byString;
    if (typeof sk === 'string' && byString !== undefined) byString[sk] = acc;
    else this.byOther.set(sk, acc);
  }
}
