import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { validateResourceId } from '@nestify/common';
import type { JsonObject } from '@nestify/dsl';
import { snapshotFromPlan } from '@nestify/workflows';
import { UsageError } from '../inputs';
import { defaultBlueprintId, LocalBlueprint } from './local-blueprint';
import {
  LOCAL_DEPLOYMENT_ID,
  LOCAL_TENANT,
  LOCAL_USER,
  LocalState,
  LocalStateFile,
  newLocalState,
} from './local-state';

/** Where local deployments live unless `--storage-dir` says otherwise. */
export const DEFAULT_STORAGE_ROOT = '.nestify-local';

/** Instance states from which nothing needs undoing before the deployment is replaced. */
const AT_REST = new Set(['uninitialized', 'deleted']);

export interface StorageChoice {
  storageDir?: string;
  blueprintId?: string;
}

export function checkedBlueprintId(id: string): string {
  try {
    return validateResourceId(id, 'blueprint-id');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The storage folder of a command: `--storage-dir`, else `./.nestify-local/<blueprint id>` — the
 * id given, the blueprint file's name, or the only local deployment there is.
 */
export async function storageDirOf(choice: StorageChoice, blueprintFile?: string): Promise<string> {
  if (choice.storageDir) return resolve(choice.storageDir);
  const id = choice.blueprintId ?? (blueprintFile ? defaultBlueprintId(blueprintFile) : undefined);
  if (id) return resolve(DEFAULT_STORAGE_ROOT, checkedBlueprintId(id));
  const found = await existingDeployments(resolve(DEFAULT_STORAGE_ROOT));
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new UsageError(
      `no local deployment under ./${DEFAULT_STORAGE_ROOT}: run 'nestify local install <blueprint>' first`,
    );
  }
  throw new UsageError(
    `several local deployments under ./${DEFAULT_STORAGE_ROOT}: choose one with --blueprint-id or --storage-dir`,
  );
}

async function existingDeployments(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const name of names.sort()) {
    const candidate = join(root, name);
    const isState = await stat(new LocalStateFile(candidate).path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isState) dirs.push(candidate);
  }
  return dirs;
}

/**
 * Creates (or replaces) the local deployment of a planned blueprint, node instances all
 * `uninitialized`. A deployment with instances still installed is not replaced.
 */
export async function initLocalDeployment(
  file: LocalStateFile,
  blueprint: LocalBlueprint,
  inputs: JsonObject,
  blueprintId: string,
): Promise<LocalState> {
  if (await file.exists()) await refuseToReplaceLive(file);
  const deployment = snapshotFromPlan(blueprint.plan, LOCAL_DEPLOYMENT_ID, LOCAL_TENANT);
  deployment.deployment.blueprint_id = blueprintId;
  deployment.deployment.creator = LOCAL_USER;
  const state = newLocalState({
    blueprint_id: blueprintId,
    blueprint_path: blueprint.path,
    inputs,
    plan: {
      workflows: blueprint.plan.workflows,
      outputs: blueprint.plan.outputs,
      capabilities: blueprint.plan.capabilities,
    },
    deployment,
  });
  await file.save(state);
  return state;
}

async function refuseToReplaceLive(file: LocalStateFile): Promise<void> {
  const existing = await file.load();
  const live = existing.deployment.instances.filter((i) => !AT_REST.has(i.state));
  if (live.length === 0) return;
  throw new UsageError(
    `${file.dir} holds a deployment with ${live.length} node instance(s) not uninstalled ` +
      `(e.g. ${live[0].id}: ${live[0].state}); run 'nestify local uninstall' first`,
  );
}
