import { join } from 'node:path';
import { FileCheckpointStore, type Pipeline, type PipelineOptions } from '@sluice/core';
import { KvCheckpointStore, PartitionLeases, type NatsConnectionOptions, type RevokeReason } from '@sluice/plugin-nats';
import { ErrorCodes, parseDuration, SluiceError, type CheckpointStore } from '@sluice/sdk';
import { CliError } from '../cli-error.js';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline-file/load-pipeline-file.js';
import { PARTITION_VARIABLE } from '../pipeline-file/substitute-env.js';
import { MonitoringServer } from '@sluice/monitoring';
import { monitoringServerOptions, type RunningOptions } from '../commands/run-options.js';
import { onStopSignals } from '../run-with-signals.js';
import { FencedCheckpointStore } from './fenced-checkpoint-store.js';
import { WorkerView } from './worker-view.js';

interface Running {
  readonly pipeline: Pipeline;
  readonly done: Promise<void>;
}

/**
 * `sluice run` of a file with `scaleOut`: this process is one worker of the pipeline. It holds
 * leases on some of the partitions (`PartitionLeases`) and runs, for each, the file's pipeline
 * built with `${SLUICE_PARTITION}` set to its number, named `<name>.p<n>`, with that partition's
 * own checkpoints — so a partition moves to another worker and resumes from its last checkpoint.
 *
 * The first SIGINT/SIGTERM (or --duration) drains every partition with a final checkpoint and
 * releases its leases; a second cancels. A partition that fails stops the worker with its error.
 */
export async function runPartitioned(file: string, loaded: LoadedPipeline, options: RunningOptions, durationMs?: number): Promise<void> {
  const scaleOut = loaded.spec.scaleOut!;
  const checkpoints = loaded.options.checkpoints;
  if (checkpoints === undefined) {
    throw new CliError(`${file}: scaleOut needs a 'checkpoints' section: a partition moves to another worker from its last checkpoint`);
  }
  if (!(checkpoints.store instanceof FileCheckpointStore) && !(checkpoints.store instanceof KvCheckpointStore)) {
    throw new CliError(
      `${file}: scaleOut needs checkpoints that every worker can read (store: nats-kv, or file on storage they share); memory checkpoints cannot move between workers`,
    );
  }
  const running = new Map<number, Running>();
  let failure: unknown;
  let stopping: Promise<void> | undefined;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const log = (m: string) => console.error(`sluice: ${m}`);

  const leases: PartitionLeases = new PartitionLeases({
    connection: scaleOut.nats as unknown as NatsConnectionOptions,
    pipeline: loaded.spec.name,
    partitions: scaleOut.partitions,
    ...(scaleOut.worker !== undefined && { worker: scaleOut.worker }),
    ...(scaleOut.bucket !== undefined && { bucket: scaleOut.bucket }),
    ...(scaleOut.replicas !== undefined && { replicas: scaleOut.replicas }),
    ttlMs: parseDuration((scaleOut.leaseTtl ?? '10s') as never, 'scaleOut.leaseTtl'),
    log,
    onAssigned: async (n) => {
      const part = await loadPipelineFile(file, { ...process.env, [PARTITION_VARIABLE]: String(n) });
      // A store of its own per partition: a folder each, or the KV keys of the pipeline <name>.p<n>.
      const own = part.options.checkpoints!.store;
      const inner = own instanceof FileCheckpointStore ? new FileCheckpointStore(join(own.dir, `p${n}`)) : own;
      const store: CheckpointStore = new FencedCheckpointStore(inner, () => leases.holds(n), n);
      const extra: Partial<PipelineOptions> = { name: `${loaded.spec.name}.p${n}`, checkpoints: { ...checkpoints, store } };
      const pipeline = part.build([], extra);
      pipeline.events.on('checkpoint:restored', (e) => log(`partition ${n}: resumed from checkpoint ${e.id}`));
      log(`partition ${n}: running on worker ${leases.worker}`);
      const done = pipeline.run().then(
        (stats) => {
          if (running.get(n)?.pipeline === pipeline) {
            log(`partition ${n}: input ended (${Object.values(stats.sinks).reduce((s, k) => s + k.records, 0)} records written)`);
          }
        },
        (err: unknown) => {
          if (SluiceError.is(err, ErrorCodes.ABORTED) && running.get(n)?.pipeline !== pipeline) return; // cancelled: lease lost
          failure ??= part.locate(err);
          log(`partition ${n} failed: ${failure instanceof Error ? failure.message : String(failure)}`);
          void stop();
        },
      );
      running.set(n, { pipeline, done });
      view.add(n, pipeline);
    },
    onRevoked: async (n: number, reason: RevokeReason) => {
      const r = running.get(n);
      if (r === undefined) return;
      running.delete(n);
      view.remove(n);
      if (reason === 'lost') {
        // Another worker may run it already: stop at once, write nothing more.
        r.pipeline.cancel(new SluiceError(ErrorCodes.ABORTED, `partition ${n}: lease lost`));
      } else {
        await r.pipeline.stop();
      }
      await r.done;
      log(`partition ${n}: handed over (${reason})`);
    },
  });

  // The worker's monitoring: its partitions' pipelines as one, nodes named p<n>/<node>.
  const view = new WorkerView(loaded.spec.name);
  const serverOptions = monitoringServerOptions(loaded, options);
  const server = serverOptions === undefined ? undefined : new MonitoringServer(serverOptions);

  const stop = (): Promise<void> => (stopping ??= leases.stop().finally(stopped));
  const stopListening = onStopSignals(
    (signal) => {
      log(`${signal}: draining ${running.size} partitions (a second signal cancels)`);
      void stop();
    },
    (signal) => {
      log(`${signal}: cancelling`);
      failure ??= new SluiceError(ErrorCodes.ABORTED, `cancelled by a second ${signal}`);
      for (const r of running.values()) r.pipeline.cancel(failure as SluiceError);
    },
  );
  const timer = durationMs === undefined ? undefined : setTimeout(() => void stop(), durationMs);
  try {
    view.start();
    await server?.attach(view);
    await leases.start();
    log(
      `worker ${leases.worker} of '${loaded.spec.name}' holds partitions ${leases.owned().join(', ') || 'none yet'} of ${scaleOut.partitions}`,
    );
    await done;
    await stopping; // a failed release is reported
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    stopListening();
    view.stop();
    await server?.detach();
  }
  if (failure !== undefined) throw failure;
}
