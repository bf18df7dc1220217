import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { BlueprintPlan, parseBlueprint, prepareDeploymentPlan } from '@nestify/dsl';
import { parseInputs } from '../inputs';

const collect = (value: string, previous: string[]) => [...previous, value];

async function parseFile(file: string): Promise<BlueprintPlan> {
  const path = resolve(file);
  return parseBlueprint(await readFile(path, 'utf8'), path);
}

/** `nestify blueprint validate|plan`: the DSL parser on a local blueprint, no manager needed. */
export function blueprintCommand(): Command {
  const blueprint = new Command('blueprint')
    .alias('blueprints')
    .description('work with blueprint files');
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
  return blueprint;
}
