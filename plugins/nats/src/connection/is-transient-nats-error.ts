import { errors, RequestError } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';

/**
 * JetStream API errors that pass: 10008 "JetStream system temporarily unavailable" (a server
 * restarting, a cluster electing its meta leader), 10118 "stream is offline" (its replicas
 * recovering).
 */
const TRANSIENT_API_CODES: ReadonlySet<number> = new Set([10008, 10118]);

/**
 * @internal Whether a NATS call failed because the server could not be reached or answer for
 * now (connection lost or closed, no reply in time, JetStream not answering, or answering
 * "temporarily unavailable" while it restarts or elects a leader) rather than because the
 * request was wrong. The first kind is the engine's to retry (`DisconnectedError`); the second
 * fails the pipeline with the server's reason.
 */
export function isTransientNatsError(err: unknown): boolean {
  if (err instanceof errors.TimeoutError) return true;
  if (err instanceof errors.ConnectionError) return true;
  if (err instanceof errors.ClosedConnectionError) return true;
  if (err instanceof errors.DrainingConnectionError) return true;
  if (err instanceof errors.NoRespondersError) return true;
  if (err instanceof RequestError) return true; // no responders, or the request was cancelled by a disconnect
  // By code, not status: the server answers 503 to lasting refusals too (10077, a full stream
  // that discards new messages).
  if (err instanceof JetStreamApiError) return TRANSIENT_API_CODES.has(err.code);
  // Not exported by the client: the wrapper of a "no responders" reply to a JetStream request.
  if (err instanceof Error && err.name === 'JetStreamNotEnabled') return true;
  return false;
}
