import { SDK_MAJOR, type SluicePlugin } from '@sluice/sdk';
import { EvenTicks } from './even-ticks.js';
import { ExampleTicks } from './example-ticks.js';
import { JsonLinesOut } from './json-lines-out.js';

export { EvenTicks } from './even-ticks.js';
export { ExampleTicks, type ExampleTick, type ExampleTicksSettings } from './example-ticks.js';
export { JsonLinesOut, type JsonLinesOutSettings } from './json-lines-out.js';

/** The plugin object a host loads: what a pipeline file names with `plugins: [@sluice/example-plugin]`. @public */
export const plugin: SluicePlugin = {
  name: '@sluice/example-plugin',
  version: '0.1.0',
  sdk: SDK_MAJOR,
  components: { ExampleTicks, EvenTicks, JsonLinesOut },
};
