import { createServer } from 'node:net';

/**
 * `port` if it is free on 127.0.0.1, else 0 (any free port): a second demo, or anything else on
 * the default port, must not stop the demo from starting. The port is probed and released, so a
 * program that takes it in between still wins; the dashboard then fails to start, saying so.
 */
export async function portOrAnyFree(port: number): Promise<number> {
  if (port === 0) return 0;
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}
