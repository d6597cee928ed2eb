import { SDK_MAJOR, type SluicePlugin } from '@sluice/sdk';
import { CoreNatsSource } from './core-nats-source/core-nats-source.js';
import { JetStreamSink } from './jetstream-sink/jetstream-sink.js';
import { JetStreamSource } from './jetstream-source/jetstream-source.js';
import { NATS_PLUGIN_NAME } from './plugin-name.js';

/**
 * What a pipeline file loads with `plugins: ['@sluice/plugin-nats']`: the JetStream source and
 * sink and the core NATS source, each configured by its entry's `settings:`.
 * @public
 */
export const plugin: SluicePlugin = {
  name: NATS_PLUGIN_NAME,
  version: '0.1.0',
  sdk: SDK_MAJOR,
  components: { JetStreamSource, JetStreamSink, CoreNatsSource },
};
