import type { JsonMap } from '../ports';
import type { WorkflowContext } from '../context/workflow-context';
import {
  installNodeInstances,
  reinstallNodeInstances,
  rollbackNodeInstances,
  uninstallNodeInstances,
} from '../lifecycle/lifecycle-processor';
import { bool, filterInstances, othersThan } from './parameters';

export async function install(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const instances = filterInstances(ctx, params);
  await installNodeInstances(ctx, { instances, related: othersThan(ctx, instances) });
}

/** Uninstall (the `recursive` uninstall of service deployments is not supported here). */
export async function uninstall(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const instances = filterInstances(ctx, params);
  await uninstallNodeInstances(ctx, {
    instances,
    related: othersThan(ctx, instances),
    ignoreFailure: bool(params.ignore_failure, false),
  });
}

export async function reinstall(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const instances = filterInstances(ctx, params);
  await reinstallNodeInstances(ctx, {
    instances,
    related: othersThan(ctx, instances),
    ignoreFailure: bool(params.ignore_failure, false),
  });
}

const IN_PROGRESS = ['creating', 'configuring', 'starting'];

/** Rolls back instances left half-installed; `full_rollback` then uninstalls everything. */
export async function rollback(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const selected = filterInstances(ctx, params);
  const toRollback = selected.filter((i) => IN_PROGRESS.includes(i.state));
  await rollbackNodeInstances(ctx, {
    instances: toRollback,
    related: othersThan(ctx, toRollback),
  });
  if (bool(params.full_rollback, false)) {
    await ctx.refreshNodeInstances();
    const fresh = filterInstances(ctx, params);
    await uninstallNodeInstances(ctx, {
      instances: fresh,
      related: othersThan(ctx, fresh),
      graphName: 'uninstall-a',
    });
  }
}
