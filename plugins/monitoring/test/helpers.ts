import { request } from 'node:http';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, type Filter, type Mapper } from '@sluice/sdk';

@Stage({ name: 'positive', from: 'numbers' })
export class Positive implements Filter<number> {
  filter(n: number) {
    return n > 0;
  }
}

@Stage({ name: 'doubled', from: 'positive' })
export class Doubled implements Mapper<number, number> {
  map(n: number) {
    return n * 2;
  }
}

/** A small bounded pipeline: numbers -> positive -> doubled -> out. */
export function smallPipeline(modules: { name?: string; providers?: readonly unknown[] }[], count = 1000) {
  const values = Array.from({ length: count }, (_, i) => (i % 4 === 0 ? -i : i));
  const out: number[] = [];
  const pipeline = createPipeline({
    name: 'demo',
    modules: modules as never,
    components: [fromArray(values, { name: 'numbers' }), Positive, Doubled, toArray(out, { name: 'out', from: 'doubled' })],
  });
  return { pipeline, out };
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request, its whole body read. */
export function get(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
