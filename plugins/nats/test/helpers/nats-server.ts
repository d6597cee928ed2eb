// The harness ships with the plugin (`@sluice/plugin-nats/testing`); the tests import it from here.
export * from '../../dist/testing/nats-server.js';
