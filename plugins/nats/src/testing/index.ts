/**
 * `@sluice/plugin-nats/testing`: real nats-server processes for tests (Debian's `nats-server` on
 * the PATH): one server or a 3-node cluster on free loopback ports, each with JetStream and its
 * own temporary store, stopped by process id at the test's end.
 * @packageDocumentation
 */
export { freePort, startNatsCluster, startNatsServer, untilJetStreamReady, type NatsServer } from './nats-server.js';
