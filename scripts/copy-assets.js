// Copies the non-TypeScript files the compiled code reads at run time (the built-in types.yaml)
// next to their compiled modules in dist/.
const { cpSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ASSETS = ['libs/dsl/src/builtin/types.yaml'];
const root = join(__dirname, '..');
for (const asset of ASSETS) {
  const target = join(root, 'dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, asset), target);
}
