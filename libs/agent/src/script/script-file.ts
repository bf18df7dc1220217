import { chmod, copyFile, open, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JsonMap, NonRecoverableError, RecoverableError } from '@nestify/plugin-sdk';
import type { OperationContextImpl } from '../context/operation-context';

/**
 * Puts the operation's script in its scratch folder (mode 755) and returns the path: a
 * blueprint resource, an http(s) URL, a file:// path, or the inline `script_source`.
 */
export async function materializeScript(
  ctx: OperationContextImpl,
  inputs: JsonMap,
): Promise<string> {
  const { script_path: path, script_source: source } = inputs;
  const hasPath = typeof path === 'string' && path !== '';
  const hasSource = typeof source === 'string' && source !== '';
  if (hasPath === hasSource) {
    throw new NonRecoverableError('Provide exactly one of script_path and script_source');
  }
  const dir = await ctx.scratchDir();
  const target = join(dir, hasPath ? safeName(path as string) : 'inline-script');
  if (hasSource) await writeFile(target, source as string);
  else await fetchScript(ctx, path as string, target);
  await chmod(target, 0o755);
  return target;
}

function safeName(path: string): string {
  const name = basename(path.split('?')[0]).replace(/[^\w.-]/g, '_');
  return name === '' || name === '.' || name === '..' ? 'script' : name;
}

async function fetchScript(ctx: OperationContextImpl, path: string, target: string) {
  if (/^https?:\/\//i.test(path)) {
    const response = await fetch(path).catch((error: unknown) => {
      throw new RecoverableError(`cannot download ${path}: ${String(error)}`);
    });
    if (!response.ok) {
      throw new NonRecoverableError(`cannot download ${path}: HTTP ${response.status}`);
    }
    await writeFile(target, Buffer.from(await response.arrayBuffer()));
  } else if (path.startsWith('file://')) {
    await copyFile(fileURLToPath(path), target);
  } else {
    await writeFile(target, await ctx.getResource(path));
  }
}

/** How to run a script: an explicit prefix, else by extension or shebang, else `/bin/sh`. */
export async function commandFor(
  script: string,
  commandPrefix: string | undefined,
  args: string[],
): Promise<string[]> {
  if (commandPrefix) return [...commandPrefix.trim().split(/\s+/), script, ...args];
  const extension = extname(script).toLowerCase();
  if (extension === '.py') return ['python3', script, ...args];
  if (extension === '.js') return [process.execPath, script, ...args];
  return (await hasShebang(script)) ? [script, ...args] : ['/bin/sh', script, ...args];
}

async function hasShebang(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer.toString('latin1') === '#!';
  } finally {
    await file.close();
  }
}
