import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEndExecutionStatus } from '@nestify/model';
import type { DeploymentPlan, JsonObject } from '@nestify/policies';

interface PlanRow {
  tenant_name: string;
  tenant_id: number;
  id: string;
  groups: JsonObject | null;
  policy_types: JsonObject | null;
  policy_triggers: JsonObject | null;
}

export interface StoredDeploymentPlan extends DeploymentPlan {
  tenantId: number;
}

const PLAN_COLUMNS = `t.name AS tenant_name, t.id AS tenant_id, d.id, d.groups, d.policy_types,
  d.policy_triggers`;

function toPlan(row: PlanRow): StoredDeploymentPlan {
  return {
    tenantName: row.tenant_name,
    tenantId: row.tenant_id,
    deploymentId: row.id,
    groups: row.groups,
    policyTypes: row.policy_types,
    policyTriggers: row.policy_triggers,
  };
}

/** What the policy engine reads of deployments, node instances and executions. */
@Injectable()
export class DeploymentPlansRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Deployments whose plan has groups with monitoring policies. */
  async listWithPolicies(): Promise<StoredDeploymentPlan[]> {
    const rows: PlanRow[] = await this.dataSource.query(
      `SELECT ${PLAN_COLUMNS} FROM deployments d JOIN tenants t ON t.id = d._tenant_id
       WHERE d.groups IS NOT NULL AND d.groups::text LIKE '%"policies": {"%'`,
    );
    return rows.map(toPlan);
  }

  /** One deployment by id (and tenant name, when known). */
  async find(deploymentId: string, tenantName?: string): Promise<StoredDeploymentPlan[]> {
    const rows: PlanRow[] = await this.dataSource.query(
      `SELECT ${PLAN_COLUMNS} FROM deployments d JOIN tenants t ON t.id = d._tenant_id
       WHERE d.id = $1 AND ($2::text IS NULL OR t.name = $2)`,
      [deploymentId, tenantName ?? null],
    );
    return rows.map(toPlan);
  }

  async nodeInstanceState(
    tenantName: string,
    deploymentId: string,
    nodeInstanceId: string,
  ): Promise<string | undefined> {
    const rows: Array<{ state: string }> = await this.dataSource.query(
      `SELECT ni.state FROM node_instances ni
       JOIN nodes n ON n._storage_id = ni._node_fk
       JOIN deployments d ON d._storage_id = n._deployment_fk
       JOIN tenants t ON t.id = ni._tenant_id
       WHERE ni.id = $1 AND d.id = $2 AND t.name = $3`,
      [nodeInstanceId, deploymentId, tenantName],
    );
    return rows[0]?.state;
  }

  /** Whether an execution is still waiting or running; a deleted one is not. */
  async executionActive(tenantName: string, executionId: string): Promise<boolean> {
    const rows: Array<{ status: string }> = await this.dataSource.query(
      `SELECT e.status FROM executions e JOIN tenants t ON t.id = e._tenant_id
       WHERE e.id = $1 AND t.name = $2`,
      [executionId, tenantName],
    );
    return rows.length > 0 && !isEndExecutionStatus(rows[0].status);
  }
}
