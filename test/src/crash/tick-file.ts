import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** A tick as the crash test's input file holds it, one JSON object per line. */
export interface FileTick {
  symbol: string;
  price: number;
  size: number;
  ts: number;
}

/**
 * Writes `n` ticks of 200 symbols as JSON lines: seeded (mulberry32), ts = i / 10 ms with some
 * out-of-order ticks, ~2% invalid (size or price not positive) for the validate stage to
 * dead-letter, and every 5,000th line malformed JSON for the source to dead-letter.
 */
export async function writeTickFile(path: string, n: number, seed = 42): Promise<void> {
  let a = seed >>> 0;
  const draw = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const prices = Array.from({ length: 200 }, () => 20 + draw() * 480);
  const out = createWriteStream(path);
  let chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 5_000 === 4_999) {
      chunk.push(`{"symbol":"SYM${i % 200}","price":`);
    } else {
      const k = Math.floor(draw() * 200);
      prices[k] = Math.max(1, prices[k]! * (1 + (draw() - 0.5) * 0.002));
      let price = Math.round(prices[k]! * 100) / 100;
      let size = 1 + Math.floor(draw() * 500);
      let ts = Math.floor(i / 10);
      if (draw() < 0.1) ts = Math.max(0, ts - Math.floor(draw() * 40));
      const bad = draw();
      if (bad < 0.01) size = 0;
      else if (bad < 0.02) price = -price;
      chunk.push(JSON.stringify({ symbol: `SYM${String(k).padStart(3, '0')}`, price, size, ts }));
    }
    if (chunk.length === 10_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
}
