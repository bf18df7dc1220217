// Copies the non-TypeScript files the compiled code reads at run time (the built-in types.yaml,
// the ctx client of the script plugin) next to their compiled modules in dist/.
const { cpSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ASSETS = [
  'libs/dsl/src/builtin/types.yaml',
  // The ctx command scripts run, plain JS beside the compiled script plugin.
  'libs/agent/src/script/ctx-cli.js',
  // The `cloudify` Python package (`from cloudify import ctx`) put on scripts' PYTHONPATH.
  'libs/agent/src/script/python',
];
const root = join(__dirname, '..');
for (const asset of ASSETS) {
  const target = join(root, 'dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, asset), target, { recursive: true });
}
