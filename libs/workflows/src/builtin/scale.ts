import type { DeploymentModificationData, JsonMap, JsonValue } from '../ports';
import type { WfNodeInstance } from '../context/model';
import type { WorkflowContext } from '../context/workflow-context';
import {
  installNodeInstances,
  rollbackNodeInstances,
  uninstallNodeInstances,
} from '../lifecycle/lifecycle-processor';
import { bool, stringList } from './parameters';

interface ScaleTarget {
  entity: string;
  current: number;
}

function scaleTarget(ctx: WorkflowContext, name: string, scaleCompute: boolean): ScaleTarget {
  const groups = (ctx.deployment?.scaling_groups ?? {}) as Record<string, JsonValue>;
  const group = groups[name] as { properties?: { current_instances?: number } } | undefined;
  if (group) return { entity: name, current: group.properties?.current_instances ?? 0 };
  const node = ctx.getNode(name);
  if (!node) throw new Error(`No scalable entity named ${name} was found`);
  const hostId = node.hostId;
  if (scaleCompute && hostId && hostId !== node.id) {
    const host = ctx.getNode(hostId);
    if (host) return { entity: host.id, current: host.numberOfInstances };
  }
  return { entity: node.id, current: node.numberOfInstances };
}

/** Splits a modification's list into the instances it marks and the ones related to them. */
function marked(
  ctx: WorkflowContext,
  list: Array<{ id: string; modification?: string }>,
  mark: string,
): { changed: WfNodeInstance[]; related: WfNodeInstance[] } {
  const changed: WfNodeInstance[] = [];
  const related: WfNodeInstance[] = [];
  for (const item of list) {
    const instance = ctx.getNodeInstance(item.id);
    if (!instance) continue;
    (item.modification === mark ? changed : related).push(instance);
  }
  return { changed, related };
}

async function startOrReuse(
  ctx: WorkflowContext,
  modifiedNodes: JsonMap,
): Promise<DeploymentModificationData> {
  if (ctx.resume) {
    const started = await ctx.listStartedModifications();
    if (started.length === 1) return started[0];
  }
  return ctx.startModification(modifiedNodes);
}

/** `scale` (scale_entity): a deployment modification, then install or uninstall of its instances. */
export async function scaleEntity(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const name = params.scalable_entity_name;
  if (typeof name !== 'string' || !name) throw new Error('scalable_entity_name is required');
  const delta = Number(params.delta ?? 1);
  if (!Number.isInteger(delta))
    throw new Error(`The delta parameter must be an integer, got ${String(params.delta)}`);
  if (delta === 0) {
    ctx.logger.info('delta parameter is 0, so no scaling will take place.');
    return;
  }
  const include = stringList(params.include_instances);
  const exclude = stringList(params.exclude_instances);
  if (delta > 0 && (include.length > 0 || exclude.length > 0)) {
    throw new Error('Instances may only be included or excluded when scaling down');
  }
  const { entity, current } = scaleTarget(ctx, name, bool(params.scale_compute, false));
  const planned = current + delta;
  if (planned < 0) {
    throw new Error(
      `Provided delta: ${delta} is illegal. current number of instances of entity ${entity} is ${current}`,
    );
  }
  const ignoreFailure = bool(params.ignore_failure, false);
  const rollbackIfFailed = bool(params.rollback_if_failed, true);
  const modification = await startOrReuse(ctx, {
    [entity]: {
      instances: planned,
      removed_ids_exclude_hint: exclude,
      removed_ids_include_hint: include,
    },
  });
  await ctx.refreshNodeInstances();
  try {
    if (delta > 0) {
      const { changed, related } = marked(
        ctx,
        modification.node_instances.added_and_related,
        'added',
      );
      try {
        await installNodeInstances(ctx, {
          instances: changed,
          related,
          graphName: `${entity}_install`,
        });
      } catch (error) {
        if (!rollbackIfFailed) throw error;
        await ctx.refreshNodeInstances();
        const fresh = marked(ctx, modification.node_instances.added_and_related, 'added');
        await rollbackNodeInstances(ctx, {
          instances: fresh.changed,
          related: fresh.related,
          graphName: `${entity}_rollback`,
        });
        throw error;
      }
    } else {
      const { changed, related } = marked(
        ctx,
        modification.node_instances.removed_and_related,
        'removed',
      );
      await uninstallNodeInstances(ctx, {
        instances: changed,
        related,
        ignoreFailure,
        graphName: `${entity}_uninstall`,
      });
    }
  } catch (error) {
    if (rollbackIfFailed) await ctx.ports.deployments.rollbackModification(modification.id);
    throw error;
  }
  await ctx.ports.deployments.finishModification(modification.id);
}
