import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveEntry } from '../support/archives';
import { hostAppDbBlueprint } from '../support/install-blueprint';
import { INSTALL_OPS } from './install-audit';

/**
 * The install benchmark's shape (hosts, one app contained in each, every app connected to one db)
 * with every lifecycle operation implemented by `chaoslog.ops.run`: a plugin that appends
 * `<instance> <operation>` to `<logDir>/<deployment>.log` as it begins and does nothing else, so
 * the test counts how often each operation really ran, independently of the manager's records.
 */
export function chaosBlueprint(instances: number): ArchiveEntry[] {
  const hosts = Math.max(1, Math.floor(instances / 2));
  const yaml = hostAppDbBlueprint(hosts, 'chaoslog', 'chaoslog.ops.run', INSTALL_OPS);
  return [
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: yaml },
  ];
}

/** Installs the `chaoslog` plugin where every mgmtworker's agent looks: `<dataDir>/plugins`. */
export function installLogPlugin(dataDir: string, logDir: string): void {
  const dir = join(dataDir, 'plugins', 'chaoslog');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name": "chaoslog", "main": "index.js"}\n');
  // One appendFileSync per run: a single O_APPEND write, whole even when the process is killed.
  const source = `const { appendFileSync } = require('node:fs');
const { join } = require('node:path');
module.exports = {
  name: 'chaoslog',
  module: 'ops',
  preload: false,
  operations: {
    run(ctx) {
      const line = ctx.cloudifyContext.node_id + ' ' + ctx.operation.name + '\\n';
      appendFileSync(join(${JSON.stringify(logDir)}, ctx.deployment.id + '.log'), line);
      return null;
    },
  },
};
`;
  writeFileSync(join(dir, 'index.js'), source);
}
