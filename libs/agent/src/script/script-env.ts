import type { JsonMap, JsonValue } from '@nestify/plugin-sdk';

/** Inputs of `script_runner.tasks.run` that configure the runner rather than the script. */
export const RUNNER_INPUTS = new Set([
  'script_path',
  'script_source',
  'process',
  'ssl_cert_content',
]);

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An input as an environment value: strings as-is, everything else as JSON. */
export function envValueOf(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The environment of a script (workflows.md §6): the worker's own, then every operation input
 * that is not a runner setting, then `process.env` (which wins), then the ctx plumbing. Names that
 * cannot be environment variables are skipped.
 */
export function buildScriptEnv(options: {
  base: NodeJS.ProcessEnv;
  inputs: JsonMap;
  processEnv: JsonMap;
  ctxSocketUrl: string;
  binDir: string;
  pythonPath?: string;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.base))
    if (value !== undefined) env[name] = value;
  for (const [name, value] of Object.entries(options.inputs)) {
    if (!RUNNER_INPUTS.has(name) && VALID_NAME.test(name)) env[name] = envValueOf(value);
  }
  for (const [name, value] of Object.entries(options.processEnv)) {
    if (VALID_NAME.test(name)) env[name] = envValueOf(value);
  }
  env.CTX_SOCKET_URL = options.ctxSocketUrl;
  env.PATH = [options.binDir, env.PATH].filter(Boolean).join(':');
  if (options.pythonPath) {
    env.PYTHONPATH = [options.pythonPath, env.PYTHONPATH].filter(Boolean).join(':');
  }
  return env;
}

/** The `process` input, checked. */
export interface ProcessOptions {
  env: JsonMap;
  cwd?: string;
  commandPrefix?: string;
  args: string[];
  logStdout: boolean;
  logStderr: boolean;
}

export function processOptionsOf(value: JsonValue | undefined): ProcessOptions {
  const raw = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  const env = raw.env;
  return {
    env: typeof env === 'object' && env !== null && !Array.isArray(env) ? env : {},
    cwd: typeof raw.cwd === 'string' ? raw.cwd : undefined,
    commandPrefix:
      typeof raw.command_prefix === 'string' && raw.command_prefix.trim()
        ? raw.command_prefix
        : undefined,
    args: Array.isArray(raw.args) ? raw.args.map((arg) => envValueOf(arg)) : [],
    logStdout: raw.log_stdout !== false,
    logStderr: raw.log_stderr !== false,
  };
}
