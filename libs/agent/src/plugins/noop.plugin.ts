import { definePlugin } from '@nestify/plugin-sdk';

/** `noop.tasks.run`: returns at once without reading anything (benchmarks of the dispatch path). */
export const NOOP_PLUGIN = definePlugin({
  name: 'nestify-noop',
  module: 'noop.tasks',
  preload: false,
  operations: { run: () => null },
});
