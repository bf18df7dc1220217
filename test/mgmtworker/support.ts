import { DataSource } from 'typeorm';
import { DEFAULT_TENANT_ID, Deployment, Execution } from '@nestify/model';
import type { StoredOperation, TaskState } from '@nestify/workflows';
import { ExecutionRef } from '../../apps/mgmtworker/src/persistence/execution-ref';

/** The ExecutionRef the mgmtworker builds for a stored execution. */
export function refOf(execution: Execution): ExecutionRef {
  return {
    storageId: execution.storageId,
    id: execution.id,
    tenantId: execution.tenantId,
    tenantName: 'default_tenant',
    creatorId: execution.creatorId,
    visibility: execution.visibility,
    deploymentFk: execution.deploymentFk,
  };
}

export function deploymentRef(deployment: Deployment) {
  return { storageId: deployment.storageId, tenantId: deployment.tenantId ?? DEFAULT_TENANT_ID };
}

/** A stored task dump as the engine writes it. */
export function storedOperation(
  id: string,
  overrides: Partial<StoredOperation> & { state?: TaskState } = {},
): StoredOperation {
  return {
    id,
    name: 'cloudify.interfaces.lifecycle.create',
    type: 'RemoteWorkflowTask',
    state: 'pending',
    dependencies: [],
    ...overrides,
    parameters: {
      task_kwargs: { kwargs: { __cloudify_context: { node_id: 'vm_1' } } },
      current_retries: 0,
      total_retries: 60,
      retry_interval: 15,
      send_task_events: true,
      info: null,
      error: null,
      containing_subgraph: null,
      on_success: null,
      on_failure: null,
      retried_task: null,
      ...overrides.parameters,
    },
  };
}

export async function executionCounters(
  dataSource: DataSource,
  storageId: number,
): Promise<{ total: number | null; finished: number | null }> {
  const [row] = await dataSource.query(
    `SELECT total_operations AS total, finished_operations AS finished FROM executions WHERE _storage_id = $1`,
    [storageId],
  );
  return row;
}

/** Polls until `probe` gives a value, or fails after the deadline. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
