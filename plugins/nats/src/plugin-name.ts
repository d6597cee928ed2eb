/** The plugin's name, as pipeline files and errors show it. @public */
export const NATS_PLUGIN_NAME = '@sluice/plugin-nats';
