import { parseBlueprint, prepareDeploymentPlan } from '@nestify/dsl';
import type { DeploymentSnapshot, OperationReply, OperationRequest } from '../ports';
import { snapshotFromPlan } from './in-memory-deployment-store';

/** A deployment snapshot from blueprint text (imports resolved beside `file`). */
export async function snapshotFromBlueprint(
  text: string,
  file = '/tmp/nestify-workflows/blueprint.yaml',
): Promise<DeploymentSnapshot> {
  const plan = await parseBlueprint(text, file, { resourceExists: () => false });
  return snapshotFromPlan(prepareDeploymentPlan(plan, {}));
}

/** Succeeds every operation; a host's `get_state` answers true (the host is up). */
export function succeedAll(request: OperationRequest): OperationReply {
  const ctx = request.message.cloudify_task.kwargs.__cloudify_context as {
    operation?: { name?: string };
  };
  return {
    ok: true,
    result: ctx.operation?.name === 'cloudify.interfaces.host.get_state' ? true : null,
  };
}
