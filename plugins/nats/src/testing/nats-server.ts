import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { join } from 'node:path';

/**
 * Real nats-server processes for the tests (Debian's `nats-server`), with JetStream on, each on
 * free loopback ports with its own temporary store folder, stopped by process id.
 */
export interface NatsServer {
  readonly port: number;
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  readonly storeDir: string;
  /** SIGKILL, as a crashed machine. */
  kill(): Promise<void>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** Starts the same server again (same port, same store), after kill/stop. */
  restart(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode} before listening on ${port}:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open && /Server is ready/.test(output())) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

class ServerProcess implements NatsServer {
  private child!: ChildProcess;
  private log = '';
  constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly args: readonly string[],
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async start(): Promise<void> {
    this.log = '';
    this.child = spawn('nats-server', [...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    await waitForPort(this.port, this.child, () => this.log);
  }

  async kill(): Promise<void> {
    process.kill(this.pid, 'SIGKILL');
    await exited(this.child);
  }

  async stop(): Promise<void> {
    if (this.child === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, 'SIGKILL');
    }, 5000);
    await exited(this.child);
    clearTimeout(timer);
  }

  restart(): Promise<void> {
    return this.start();
  }

  output(): string {
    return this.log;
  }
}

/** What the helpers need of a test: somewhere to register the stop (ava's `t`). */
export interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

// A port found free may be taken again before the server binds it (another test's server, a
// client's ephemeral port): then the start is tried again on fresh ports.
const PORT_ATTEMPTS = 5;

async function onFreshPorts<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= PORT_ATTEMPTS || !/address already in use/.test(String(err))) throw err;
    }
  }
}

/** One nats-server with JetStream on a free port; stopped (and its store removed) at the test's end. */
export async function startNatsServer(t: Teardown, extraArgs: readonly string[] = []): Promise<NatsServer> {
  const storeDir = await mkdtemp(join(tmpdir(), 'sluice-nats-'));
  t.teardown(() => rm(storeDir, { recursive: true, force: true }));
  return onFreshPorts(async () => {
    const port = await freePort();
    const server = new ServerProcess(port, storeDir, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, ...extraArgs]);
    t.teardown(() => server.stop());
    await server.start();
    return server;
  });
}

/**
 * A 3-node NATS cluster on loopback (one config file per node: server_name, listen, JetStream
 * store, cluster routes), for R3 streams that survive the loss of a server.
 */
export async function startNatsCluster(t: Teardown, size = 3): Promise<NatsServer[]> {
  return onFreshPorts(() => startCluster(t, size));
}

async function startCluster(t: Teardown, size: number): Promise<NatsServer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-nats-cluster-'));
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    routePorts.push(await freePort());
  }
  const servers: ServerProcess[] = [];
  for (let i = 0; i < size; i++) {
    const storeDir = join(dir, `n${i}`);
    const routes = routePorts.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p}`);
    const conf = [
      `server_name: n${i}`,
      `listen: 127.0.0.1:${clientPorts[i]}`,
      `jetstream { store_dir: "${storeDir}" }`,
      `cluster { name: sluice-test, listen: 127.0.0.1:${routePorts[i]}, routes: [${routes.map((r) => `"${r}"`).join(', ')}] }`,
    ].join('\n');
    const file = join(dir, `n${i}.conf`);
    await writeFile(file, conf);
    servers.push(new ServerProcess(clientPorts[i]!, storeDir, ['-c', file]));
  }
  t.teardown(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  });
  try {
    await Promise.all(servers.map((s) => s.start()));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop())); // the ones that did start
    throw err;
  }
  await untilJetStreamReady(servers.map((s) => s.url));
  return servers;
}

/** Waits until the servers answer JetStream requests (a cluster first elects its meta leader). */
export async function untilJetStreamReady(urls: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const nc = await connect({ servers: [...urls] });
  try {
    for (;;) {
      try {
        await jetstreamManager(nc, { timeout: 1000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`JetStream not ready on ${urls.join(', ')} after ${timeoutMs} ms: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await nc.close();
  }
}
