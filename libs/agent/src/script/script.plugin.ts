import {
  definePlugin,
  type JsonMap,
  NonRecoverableError,
  type OperationContext,
  OperationRetry,
} from '@nestify/plugin-sdk';
import { OperationContextImpl } from '../context/operation-context';
import { CTX_PYTHON_PATH, ctxBinDir } from './ctx-bin';
import { CtxProxyServer } from './ctx-proxy.server';
import { ProcessException } from './process-exception';
import { runProcess } from './run-process';
import { buildScriptEnv, processOptionsOf } from './script-env';
import { scriptCtx } from './script-ctx';
import { commandFor, materializeScript } from './script-file';
import { ScriptOutcome } from './script-outcome';

/**
 * `script_runner.tasks.run` (workflows.md §6): runs the operation's script as a subprocess with
 * its inputs as environment variables and a `ctx` command talking to a proxy of the operation's
 * ctx; `ctx returns` / `abort-operation` / `retry-operation` decide how the operation ends.
 */
async function run(context: OperationContext, inputs: JsonMap): Promise<unknown> {
  if (!(context instanceof OperationContextImpl)) {
    throw new NonRecoverableError('the script plugin runs only inside the nestify worker');
  }
  const ctx = context;
  const options = processOptionsOf(inputs.process);
  const script = await materializeScript(ctx, inputs);
  const command = await commandFor(script, options.commandPrefix, options.args);
  const outcome = new ScriptOutcome();
  const proxy = await CtxProxyServer.start(scriptCtx(ctx, outcome));
  try {
    const result = await runProcess({
      command,
      cwd: options.cwd,
      env: buildScriptEnv({
        base: process.env,
        inputs,
        processEnv: options.env,
        ctxSocketUrl: proxy.url,
        binDir: await ctxBinDir(),
        pythonPath: CTX_PYTHON_PATH,
      }),
      signal: ctx.signal,
      onStdout: options.logStdout ? (line) => ctx.logger.info(`<out> ${line}`) : undefined,
      onStderr: options.logStderr ? (line) => ctx.logger.info(`<err> ${line}`) : undefined,
    });
    const ended = outcome.current;
    if (ended?.kind === 'aborted') throw new NonRecoverableError(ended.message);
    if (ended?.kind === 'retry') throw new OperationRetry(ended.message, ended.retryAfter);
    if (result.exitCode !== 0) {
      const exitCode = result.exitCode ?? (result.signal ? -1 : null);
      throw new ProcessException(command.join(' '), exitCode, result.stdoutTail, result.stderrTail);
    }
    return ended?.kind === 'returned' ? ended.value : null;
  } finally {
    await proxy.close();
  }
}

export const SCRIPT_PLUGIN = definePlugin({
  name: 'script',
  module: 'script_runner.tasks',
  operations: { run },
});
