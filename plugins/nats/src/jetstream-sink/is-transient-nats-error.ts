import { errors, RequestError } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';

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
  if (err instanceof JetStreamApiError) return err.status === 503;
  // Not exported by the client: the wrapper of a "no responders" reply to a JetStream request.
  if (err instanceof Error && err.name === 'JetStreamNotEnabled') return true;
  return false;
}
