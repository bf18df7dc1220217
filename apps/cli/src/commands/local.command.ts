import { Command, InvalidArgumentError } from 'commander';
import { LoggerLike } from '@nestify/common';
import { evaluateOutputs, JsonObject } from '@nestify/dsl';
import { parseInputs } from '../inputs';
import { EventPrinter } from '../local/event-printer';
import { defaultBlueprintId, planLocalBlueprint } from '../local/local-blueprint';
import {
  checkedBlueprintId,
  initLocalDeployment,
  storageDirOf,
  StorageChoice,
} from '../local/local-deployment';
import { LocalRuntimeStorage } from '../local/local-runtime-storage';
import { LocalState, LocalStateFile } from '../local/local-state';
import { runLocalWorkflow } from '../local/run-local-workflow';
import { withStorageLock } from '../local/storage-lock';

const collect = (value: string, previous: string[]) => [...previous, value];

const wholeNumber = (minimum: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) {
    throw new InvalidArgumentError(`expected a whole number of at least ${minimum}`);
  }
  return parsed;
};

const seconds = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected seconds ≥ 0');
  return parsed;
};

interface RunOptions extends StorageChoice {
  taskRetries: number;
  taskRetryInterval: number;
  json?: boolean;
}

/** Warnings of the local machinery itself (not of the workflow) go to stderr. */
const STDERR_LOGGER: LoggerLike = {
  log: () => undefined,
  warn: (message) => process.stderr.write(`nestify: warning: ${message}\n`),
  error: (message) => process.stderr.write(`nestify: error: ${message}\n`),
};

function storageOptions(command: Command): Command {
  return command
    .option(
      '--storage-dir <dir>',
      'folder of the local state (default ./.nestify-local/<blueprint id>)',
    )
    .option('--blueprint-id <id>', 'blueprint id (default: the blueprint file name)');
}

function runOptions(command: Command): Command {
  return storageOptions(command)
    .option('--task-retries <n>', 'retries of a failed operation (-1: forever)', wholeNumber(-1), 0)
    .option('--task-retry-interval <seconds>', 'seconds between retries', seconds, 1)
    .option('--json', 'print events and logs as JSON lines');
}

function inputsOption(command: Command): Command {
  return command.option(
    '-i, --inputs <inputs>',
    'inputs: a YAML file, key=value[;key=value] or inline YAML (repeatable)',
    collect,
    [],
  );
}

interface LocalDeployment {
  state: LocalState;
  file: LocalStateFile;
}

async function stateOf(choice: StorageChoice): Promise<LocalDeployment> {
  const file = new LocalStateFile(await storageDirOf(choice));
  return { state: await file.load(), file };
}

/**
 * Runs `work` on the local deployment, holding its folder's lock: the one stored there, or, with
 * a blueprint, a new one made from it (the blueprint is read and planned before anything is
 * written, so a bad blueprint leaves no trace).
 */
async function withDeployment(
  blueprintFile: string | undefined,
  options: StorageChoice & { inputs?: string[] },
  work: (deployment: LocalDeployment) => Promise<void>,
): Promise<void> {
  if (!blueprintFile) {
    const { file } = await stateOf(options);
    await withStorageLock(file.dir, async () => work({ state: await file.load(), file }));
    return;
  }
  const blueprintId = checkedBlueprintId(options.blueprintId ?? defaultBlueprintId(blueprintFile));
  const inputs = parseInputs(options.inputs ?? []);
  const blueprint = await planLocalBlueprint(blueprintFile, inputs);
  const file = new LocalStateFile(await storageDirOf(options, blueprintFile));
  await withStorageLock(file.dir, async () => {
    const state = await initLocalDeployment(file, blueprint, inputs, blueprintId);
    await work({ state, file });
  });
}

/** Runs a workflow, printing as it goes; a failed or cancelled run ends with one line and exit 1. */
async function runAndReport(
  state: LocalState,
  file: LocalStateFile,
  workflowId: string,
  options: RunOptions & { parameters?: JsonObject; allowCustomParameters?: boolean },
): Promise<void> {
  const printer = new EventPrinter(
    (line) => process.stdout.write(line),
    options.json ? 'json' : 'text',
  );
  const outcome = await runLocalWorkflow(state, file, {
    workflowId,
    parameters: options.parameters ?? {},
    allowCustomParameters: options.allowCustomParameters ?? false,
    taskRetries: options.taskRetries,
    taskRetryInterval: options.taskRetryInterval,
    printer,
    logger: STDERR_LOGGER,
  });
  if (outcome.status === 'terminated') return;
  const reason =
    outcome.status === 'failed' ? `failed: ${firstLine(outcome.error)}` : 'was cancelled';
  process.stderr.write(`nestify: '${workflowId}' workflow execution ${reason}\n`);
  process.exitCode = 1;
}

function firstLine(text: string | undefined): string {
  return (
    (text ?? 'unknown error').split('\n').find((line) => line.trim() !== '') ?? 'unknown error'
  );
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * `nestify local …`: a blueprint's workflows run in this process with no manager, like
 * `cfy local` — state in a JSON file, operations run by the same worker as on a manager.
 */
export function localCommand(): Command {
  const local = new Command('local').description(
    'run blueprints on this machine, without a manager (plugins besides script and noop ' +
      'are loaded from <storage dir>/plugins/<name>)',
  );

  inputsOption(storageOptions(local.command('init <blueprint>')))
    .description('create the local deployment of a blueprint (node instances uninitialized)')
    .action(async (blueprint: string, options: StorageChoice & { inputs: string[] }) => {
      await withDeployment(blueprint, options, async ({ state, file }) => {
        const count = state.deployment.instances.length;
        process.stdout.write(
          `Initialized ${blueprint} in ${file.dir} (${count} node instances).\n`,
        );
      });
    });

  inputsOption(runOptions(local.command('install [blueprint]')))
    .description('run the install workflow (initializing first when a blueprint is given)')
    .action(async (blueprint: string | undefined, options: RunOptions & { inputs: string[] }) => {
      await withDeployment(blueprint, options, ({ state, file }) =>
        runAndReport(state, file, 'install', options),
      );
    });

  runOptions(local.command('uninstall'))
    .description('run the uninstall workflow')
    .action(async (options: RunOptions) => {
      await withDeployment(undefined, options, ({ state, file }) =>
        runAndReport(state, file, 'uninstall', options),
      );
    });

  runOptions(local.command('execute'))
    .description('run a workflow of the blueprint')
    .requiredOption('-w, --workflow <id>', 'the workflow to run')
    .option(
      '-p, --parameters <parameters>',
      'workflow parameters, as -i takes inputs (repeatable)',
      collect,
      [],
    )
    .option('--allow-custom-parameters', 'accept parameters the workflow does not declare')
    .action(async (options: RunOptions & { workflow: string; parameters: string[] }) => {
      const parameters = parseInputs(options.parameters);
      await withDeployment(undefined, options, ({ state, file }) =>
        runAndReport(state, file, options.workflow, { ...options, parameters }),
      );
    });

  storageOptions(local.command('outputs'))
    .description("print the deployment's outputs (JSON), evaluated against its current state")
    .action(async (options: StorageChoice) => {
      const { state } = await stateOf(options);
      printJson(await evaluateOutputs(state.plan.outputs, new LocalRuntimeStorage(state)));
    });

  storageOptions(local.command('instances'))
    .description('print the node instances (JSON) with their state and runtime properties')
    .option('--node-id <id>', 'only the instances of this node')
    .action(async (options: StorageChoice & { nodeId?: string }) => {
      const { state } = await stateOf(options);
      const instances = state.deployment.instances.filter(
        (i) => !options.nodeId || i.node_id === options.nodeId,
      );
      printJson(instances);
    });

  return local;
}
