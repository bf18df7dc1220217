import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { BlueprintPlan, parseBlueprint, prepareDeploymentPlan } from '@nestify/dsl';
import { blueprintSource } from '../blueprints/blueprint-source';
import { parseInputs } from '../inputs';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { ListOptions, listQuery, withListOptions } from '../manager/list-options';

const collect = (value: string, previous: string[]) => [...previous, value];

const COLUMNS = [
  'id',
  'description',
  'main_file_name',
  'created_at',
  'updated_at',
  'visibility',
  'tenant_name',
  'created_by',
  'state',
];

async function parseFile(file: string): Promise<BlueprintPlan> {
  const path = resolve(file);
  return parseBlueprint(await readFile(path, 'utf8'), path);
}

/** `validate` and `plan`: the DSL parser on a local blueprint, no manager needed. */
function addLocalCommands(blueprint: Command): void {
  blueprint
    .command('validate <file>')
    .description('parse a blueprint and check it (with inputs, also the deployment plan)')
    .option(
      '-i, --inputs <inputs>',
      'inputs: a YAML file, key=value[;key=value] or inline YAML (repeatable)',
      collect,
      [],
    )
    .action(async (file: string, options: { inputs: string[] }) => {
      const plan = await parseFile(file);
      if (options.inputs.length > 0) prepareDeploymentPlan(plan, parseInputs(options.inputs));
      process.stdout.write(`Blueprint ${file} is valid.\n`);
    });
  blueprint
    .command('plan <file>')
    .description('print the deployment plan of a blueprint for the given inputs')
    .option(
      '-i, --inputs <inputs>',
      'inputs: a YAML file, key=value[;key=value] or inline YAML (repeatable)',
      collect,
      [],
    )
    .option('--json', 'print JSON (the only format for now)', true)
    .action(async (file: string, options: { inputs: string[] }) => {
      const plan = prepareDeploymentPlan(await parseFile(file), parseInputs(options.inputs));
      process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    });
}

interface UploadOptions extends ConnectionOptions {
  blueprintId?: string;
  blueprintFilename?: string;
  visibility: 'private' | 'tenant' | 'global';
}

/** `upload`, `list`, `get`, `delete`: blueprints on the manager. */
function addManagerCommands(blueprint: Command): void {
  withConnectionOptions(
    blueprint
      .command('upload <path>')
      .description('upload a blueprint: a folder, a YAML file (its folder is sent) or an archive')
      .option('-b, --blueprint-id <id>', "the blueprint's id (default: the folder's name)")
      .option('-n, --blueprint-filename <file>', 'the YAML file inside a folder or archive')
      .option('-l, --visibility <visibility>', 'private, tenant or global', 'tenant'),
  ).action(async (path: string, options: UploadOptions) => {
    const { client, out } = contextOf(options);
    const source = await blueprintSource(path, options.blueprintFilename);
    const id = options.blueprintId ?? source.defaultId;
    out.info(`Uploading blueprint ${path} as ${id}...`);
    const uploaded = await client.blueprints.upload(id, {
      archive: source.archive,
      archiveName: source.archiveName,
      applicationFileName: source.applicationFileName,
      visibility: options.visibility,
    });
    out.info(`Blueprint uploaded. The blueprint's id is ${uploaded.id}`);
    if (out.json) out.writeJson(uploaded);
  });
  withListOptions(
    withConnectionOptions(blueprint.command('list').description('list the blueprints')),
  ).action(async (options: ConnectionOptions & ListOptions) => {
    const { client, out } = contextOf(options);
    const page = await client.blueprints.list(listQuery(options));
    out.list('Blueprints', page.items, COLUMNS);
  });
  withConnectionOptions(blueprint.command('get <id>').description('show a blueprint')).action(
    async (id: string, options: ConnectionOptions) => {
      const { client, out } = contextOf(options);
      out.object(await client.blueprints.get(id), [...COLUMNS, 'error']);
    },
  );
  withConnectionOptions(
    blueprint
      .command('delete <id>')
      .description('delete a blueprint')
      .option('-f, --force', 'delete even if other blueprints import it'),
  ).action(async (id: string, options: ConnectionOptions & { force?: boolean }) => {
    const { client, out } = contextOf(options);
    await client.blueprints.delete(id, { force: options.force });
    out.info(`Blueprint ${id} deleted`);
    if (out.json) out.writeJson({ id, deleted: true });
  });
}

/** `nestify blueprints …`: local validate/plan, and upload/list/get/delete on the manager. */
export function blueprintCommand(): Command {
  const blueprint = new Command('blueprints')
    .alias('blueprint')
    .description('blueprints: check files locally, upload and manage them on the manager');
  addLocalCommands(blueprint);
  addManagerCommands(blueprint);
  return blueprint;
}
