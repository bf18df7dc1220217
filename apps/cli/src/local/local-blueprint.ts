import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import {
  DeploymentPlan,
  JsonObject,
  parseBlueprint,
  PlanOperation,
  prepareDeploymentPlan,
} from '@nestify/dsl';
import { UsageError } from '../inputs';

const LOCAL_EXECUTOR = 'central_deployment_agent';

/** A blueprint read from disk and planned for local mode. */
export interface LocalBlueprint {
  /** Absolute path of the main blueprint file; its folder holds the scripts and resources. */
  path: string;
  plan: DeploymentPlan;
}

/** `blueprint` for `blueprint.yaml`: cfy local's default blueprint id. */
export function defaultBlueprintId(file: string): string {
  const name = basename(file, extname(file));
  return name === '' ? 'blueprint' : name;
}

async function readBlueprintText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new UsageError(`cannot read blueprint ${path}: ${reason}`);
  }
}

/** Parses the blueprint and prepares its deployment plan (inputs checked, instances generated). */
export async function planLocalBlueprint(
  file: string,
  inputs: JsonObject,
): Promise<LocalBlueprint> {
  const path = resolve(file);
  const plan = prepareDeploymentPlan(
    await parseBlueprint(await readBlueprintText(path), path),
    inputs,
  );
  runAllOperationsHere(plan);
  return { path, plan };
}

/**
 * Local mode has no agents: every operation runs in this process, as `cfy local` runs them all
 * as local tasks. Routing them to the central deployment agent (this process's worker) keeps the
 * engine from looking for a host agent that does not exist.
 */
function runAllOperationsHere(plan: DeploymentPlan): void {
  const retarget = (operations: Record<string, PlanOperation>) => {
    for (const operation of Object.values(operations)) operation.executor = LOCAL_EXECUTOR;
  };
  for (const node of plan.nodes) {
    retarget(node.operations);
    for (const relationship of node.relationships) {
      retarget(relationship.source_operations);
      retarget(relationship.target_operations);
    }
  }
}
