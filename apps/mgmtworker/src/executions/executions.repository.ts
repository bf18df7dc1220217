import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkflowSettings } from '@nestify/workflows';
import { ExecutionRef } from '../persistence/execution-ref';

export interface StoredExecution extends ExecutionRef {
  status: string;
  workflowId: string;
  isDryRun: boolean;
  deploymentId: string | null;
}

/** Workflow settings of manager config scope `workflow`, with the manager's defaults (§3.3). */
const DEFAULT_SETTINGS = { task_retries: 60, task_retry_interval: 15, subgraph_retries: 0 };

/** What the mgmtworker reads of executions and manager settings. */
@Injectable()
export class MgmtworkerExecutionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored execution (tenant and owner columns come from here, never from the message). */
  async find(id: string, tenantName: string): Promise<StoredExecution | undefined> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT x._storage_id, x.id, x._tenant_id, t.name AS tenant_name, x._creator_id, x.visibility,
              x._deployment_fk, x.status, x.workflow_id, x.is_dry_run, d.id AS deployment_id
         FROM executions x
         JOIN tenants t ON t.id = x._tenant_id
         LEFT JOIN deployments d ON d._storage_id = x._deployment_fk
        WHERE x.id = $1 AND t.name = $2`,
      [id, tenantName],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      storageId: Number(row._storage_id),
      id: String(row.id),
      tenantId: Number(row._tenant_id),
      tenantName: String(row.tenant_name),
      creatorId: Number(row._creator_id),
      visibility: String(row.visibility),
      deploymentFk: row._deployment_fk === null ? null : Number(row._deployment_fk),
      status: String(row.status),
      workflowId: String(row.workflow_id),
      isDryRun: Boolean(row.is_dry_run),
      deploymentId: (row.deployment_id as string | null) ?? null,
    };
  }

  /** Current statuses of several executions, in one query (the cancel watcher's poll). */
  async statuses(storageIds: number[]): Promise<Map<number, string>> {
    if (!storageIds.length) return new Map();
    const rows: { _storage_id: number; status: string }[] = await this.dataSource.query(
      `SELECT _storage_id, status FROM executions WHERE _storage_id = ANY($1)`,
      [storageIds],
    );
    return new Map(rows.map((row) => [row._storage_id, row.status]));
  }

  async workflowSettings(maxConcurrentTasks: number): Promise<WorkflowSettings> {
    const rows: { name: string; value: unknown }[] = await this.dataSource.query(
      `SELECT name, value FROM config WHERE scope = 'workflow' AND name = ANY($1)`,
      [Object.keys(DEFAULT_SETTINGS)],
    );
    const settings: WorkflowSettings = {
      ...DEFAULT_SETTINGS,
      max_concurrent_tasks: maxConcurrentTasks,
    };
    for (const row of rows) {
      const value = Number(row.value);
      if (Number.isFinite(value)) settings[row.name as keyof typeof DEFAULT_SETTINGS] = value;
    }
    return settings;
  }

  /** Queues of the deployment's host agents (`runtime_properties.cloudify_agent.queue`). */
  async agentQueues(deploymentFk: number): Promise<string[]> {
    const rows: { queue: string }[] = await this.dataSource.query(
      `SELECT DISTINCT i.runtime_properties->'cloudify_agent'->>'queue' AS queue
         FROM node_instances i JOIN nodes n ON n._storage_id = i._node_fk
        WHERE n._deployment_fk = $1
          AND i.runtime_properties->'cloudify_agent'->>'queue' IS NOT NULL`,
      [deploymentFk],
    );
    return rows.map((row) => row.queue);
  }
}
