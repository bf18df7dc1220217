import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The plain-JS ctx client, shipped beside this module (scripts/copy-assets.js copies it). */
export const CTX_CLI_PATH = join(__dirname, 'ctx-cli.js');

/** The `cloudify` Python package (`from cloudify import ctx`), also shipped beside this module. */
export const CTX_PYTHON_PATH = join(__dirname, 'python');

let binDir: Promise<string> | undefined;

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A folder holding an executable `ctx` that runs the client with this Node; made once per
 * process and put first on the PATH of every script.
 */
export function ctxBinDir(): Promise<string> {
  binDir ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nestify-ctx-bin-'));
    const wrapper = join(dir, 'ctx');
    const script = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(CTX_CLI_PATH)} "$@"\n`;
    await writeFile(wrapper, script);
    await chmod(wrapper, 0o755);
    return dir;
  })();
  return binDir;
}
