import type { JsonMap } from '../ports';
import type { WfNodeInstance } from '../context/model';
import type { WorkflowContext } from '../context/workflow-context';
import { healNodeInstances, reinstallNodeInstances } from '../lifecycle/lifecycle-processor';
import { runCheckStatus } from './operation-workflows';
import { bool, othersThan } from './parameters';

/** The instances heal looks at: the contained subgraph of the host (or of the instance). */
function healScope(ctx: WorkflowContext, instanceId: string | null): WfNodeInstance[] {
  const scope = new Map<string, WfNodeInstance>();
  const starts = instanceId ? [ctx.getNodeInstance(instanceId)] : ctx.nodeInstances;
  for (const instance of starts) {
    if (!instance) throw new Error(`No node instance with id \`${instanceId}\` was found`);
    const host = instance.hostId ? ctx.getNodeInstance(instance.hostId) : undefined;
    for (const member of (host ?? instance).getContainedSubgraph()) scope.set(member.id, member);
  }
  return [...scope.values()];
}

function isHealthy(instance: WfNodeInstance, requireTask: boolean): boolean {
  const status = instance.systemProperties.status as JsonMap | undefined | null;
  const ok = status?.ok ?? null;
  const task = status?.task ?? null;
  return Boolean(ok) || (task === null && !requireTask);
}

/** Unhealthy instances with a heal operation are healed; the rest, with their subgraph, reinstalled. */
function splitHealReinstall(scope: WfNodeInstance[], requireTask: boolean) {
  const toHeal = new Map<string, WfNodeInstance>();
  const toReinstall = new Map<string, WfNodeInstance>();
  for (const instance of scope) {
    if (toReinstall.has(instance.id) || isHealthy(instance, requireTask)) continue;
    if (instance.node.hasOperation('cloudify.interfaces.lifecycle.heal')) {
      toHeal.set(instance.id, instance);
      continue;
    }
    for (const member of instance.getContainedSubgraph()) {
      toReinstall.set(member.id, member);
      toHeal.delete(member.id);
    }
  }
  return { toHeal: [...toHeal.values()], toReinstall };
}

function reinstallRefused(ids: string[]): Error {
  const names =
    ids.length > 5 ? `${ids.slice(0, 5).join(', ')} (and ${ids.length - 5} more)` : ids.join(', ');
  return new Error(`allow_reinstall is false, but would need to reinstall instances: ${names}`);
}

export async function heal(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const instanceId = typeof params.node_instance_id === 'string' ? params.node_instance_id : null;
  const diagnosis = params.diagnose_value ?? 'Not provided';
  ctx.logger.info(
    instanceId
      ? `Starting 'heal' workflow on ${instanceId}, Diagnosis: ${String(diagnosis)}`
      : `Starting 'heal' workflow for '${ctx.deploymentId}' deployment, Diagnosis: ${String(diagnosis)}`,
  );
  const ignoreFailure = bool(params.ignore_failure, true);
  const allowReinstall = bool(params.allow_reinstall, true);
  const scope = healScope(ctx, instanceId);
  if (bool(params.force_reinstall, false)) {
    await reinstallNodeInstances(ctx, {
      instances: scope,
      related: othersThan(ctx, scope),
      ignoreFailure,
    });
    return;
  }
  if (bool(params.check_status, true)) {
    await runCheckStatus(ctx, { node_instance_ids: scope.map((i) => i.id) }, true);
    await ctx.refreshNodeInstances();
  }
  const fresh = scope.map((i) => ctx.getNodeInstance(i.id) ?? i);
  const { toHeal, toReinstall } = splitHealReinstall(fresh, instanceId !== null);
  if (toReinstall.size > 0 && !allowReinstall) throw reinstallRefused([...toReinstall.keys()]);
  if (toHeal.length > 0) {
    try {
      await healNodeInstances(ctx, { instances: toHeal, related: othersThan(ctx, toHeal) });
    } catch (error) {
      ctx.logger.error(
        `Error running heal: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await ctx.refreshNodeInstances();
    for (const healed of toHeal) {
      const instance = ctx.getNodeInstance(healed.id);
      if (!instance || instance.systemProperties.heal_failed !== ctx.executionId) continue;
      toReinstall.set(instance.id, instance);
      const system = { ...instance.systemProperties };
      delete system.heal_failed;
      await ctx.updateSystemProperties(instance.id, system);
    }
  }
  if (toReinstall.size > 0 && !allowReinstall) throw reinstallRefused([...toReinstall.keys()]);
  if (toReinstall.size > 0) {
    const instances = [...toReinstall.keys()].map(
      (id) => ctx.getNodeInstance(id) ?? (toReinstall.get(id) as WfNodeInstance),
    );
    await reinstallNodeInstances(ctx, {
      instances,
      related: othersThan(ctx, instances),
      ignoreFailure,
    });
  }
}
