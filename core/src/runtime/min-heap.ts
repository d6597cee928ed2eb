/** @internal A binary min-heap of entries ordered by `at` (then by insertion). */
export class MinHeap<T> {
  private readonly items: { at: number; seq: number; value: T }[] = [];
  private seq = 0;

  clear(): void {
    this.items.length = 0;
  }

  get size(): number {
    return this.items.length;
  }

  push(at: number, value: T): void {
    const h = this.items;
    h.push({ at, seq: this.seq++, value });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** The smallest `at`, or Infinity when empty. */
  peekAt(): number {
    return this.items.length === 0 ? Infinity : this.items[0]!.at;
  }

  peek(): T | undefined {
    return this.items[0]?.value;
  }

  pop(): T | undefined {
    const h = this.items;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(l, m)) m = l;
        if (r < h.length && this.before(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top.value;
  }

  /** Every entry in the order `pop` would give them (for a checkpoint of the order itself). */
  ordered(): { at: number; value: T }[] {
    return [...this.items].sort((x, y) => x.at - y.at || x.seq - y.seq).map(({ at, value }) => ({ at, value }));
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}
