import { DataSource } from 'typeorm';
import type {
  DeploymentInfo,
  DeploymentModificationData,
  DeploymentSnapshot,
  DeploymentStore,
  JsonMap,
  NodeInstanceData,
  NodeInstancePatch,
  WorkflowNodeData,
} from '@nestify/workflows';
import { isDatabaseUnavailable } from '@nestify/model';
import { TypeOrmModificationStore } from './modification-store';
import { DATABASE_OUTAGE_MS, WriteBatcher } from './write-batcher';

export interface DeploymentRef {
  storageId: number;
  tenantId: number;
}

export interface DeploymentStoreOptions {
  flushDelayMs?: number;
  flushMaxChanges?: number;
  onError?: (error: unknown) => void;
  /** Deployment modifications (scale); by default TypeOrmModificationStore. */
  modifications?: ModificationStore;
}

/** Scale support: starts, finishes and rolls back deployment modifications. */
export type ModificationStore = Pick<
  DeploymentStore,
  'startModification' | 'finishModification' | 'rollbackModification' | 'listStartedModifications'
>;

interface QueuedPatch {
  instanceId: string;
  patch: NodeInstancePatch;
  done: () => void;
}

/** What one flush writes to one instance: its patches folded in order. */
interface FoldedPatch {
  state: string | null;
  systemProperties: JsonMap | null;
  reachedConfigured: boolean;
  reachedStarted: boolean;
}

const asMap = (value: unknown): JsonMap =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonMap) : {};

/** Folds an instance's patches in order: last state and system_properties win, state rules stick. */
export function foldPatches(patches: NodeInstancePatch[]): FoldedPatch {
  const folded: FoldedPatch = {
    state: null,
    systemProperties: null,
    reachedConfigured: false,
    reachedStarted: false,
  };
  for (const patch of patches) {
    if (patch.system_properties !== undefined) {
      folded.systemProperties = patch.system_properties;
      folded.reachedConfigured = false;
      folded.reachedStarted = false;
    }
    if (patch.state !== undefined) {
      folded.state = patch.state;
      if (patch.state === 'configured') folded.reachedConfigured = true;
      if (patch.state === 'started') folded.reachedStarted = true;
    }
  }
  return folded;
}

/**
 * The deployment's nodes and instances in PostgreSQL. `load` takes three queries; instance
 * patches are batched (one UPDATE per flush, each touched instance's `version` + 1) and keep
 * their per-instance order. State rules of rest-api.md §2.4 / workflows.md §2.4: reaching
 * `configured` resets `configuration_drift`, reaching `started` sets `status` ok and clears
 * `previous_status`; the drift and status flags follow `system_properties`.
 */
export class TypeOrmDeploymentStore implements DeploymentStore {
  private readonly batcher: WriteBatcher<QueuedPatch>;
  private readonly modifications: ModificationStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deployment: DeploymentRef,
    private readonly options: DeploymentStoreOptions = {},
  ) {
    this.batcher = new WriteBatcher((patches) => this.writePatches(patches), {
      delayMs: options.flushDelayMs ?? 5,
      maxItems: options.flushMaxChanges ?? 2000,
      onError: options.onError,
      isTransient: isDatabaseUnavailable,
      transientRetryMs: DATABASE_OUTAGE_MS,
    });
    this.modifications =
      options.modifications ??
      new TypeOrmModificationStore(dataSource, deployment, () => this.load());
  }

  async load(): Promise<DeploymentSnapshot> {
    const [deployment, nodes, instances] = await Promise.all([
      this.loadDeployment(),
      this.loadNodes(),
      this.loadInstances(),
    ]);
    return { deployment, nodes, instances };
  }

  async loadInstances(): Promise<NodeInstanceData[]> {
    await this.batcher.flush();
    const rows: Array<NodeInstanceData & { relationships: unknown; scaling_groups: unknown }> =
      await this.dataSource.query(
        `SELECT i.id, n.id AS node_id, i.host_id, i.state, i.version,
                coalesce(i.runtime_properties, '{}'::jsonb) AS runtime_properties,
                coalesce(i.system_properties, '{}'::jsonb) AS system_properties,
                coalesce(i.relationships, '[]'::jsonb) AS relationships,
                coalesce(i.scaling_groups, '[]'::jsonb) AS scaling_groups, i.index
           FROM node_instances i JOIN nodes n ON n._storage_id = i._node_fk
          WHERE n._deployment_fk = $1 AND i._tenant_id = $2
          ORDER BY i._storage_id`,
        [this.deployment.storageId, this.deployment.tenantId],
      );
    return rows.map((row) => ({ ...row, index: row.index ?? 0 }));
  }

  /** Queues the patch; resolves once it is written (callers need not wait). */
  updateInstance(instanceId: string, patch: NodeInstancePatch): Promise<void> {
    return new Promise((resolve) => {
      this.batcher.add({ instanceId, patch, done: resolve });
    });
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /**
   * Resolves once the patches queued so far are written, on the batcher's own schedule: unlike
   * flush(), it neither hurries a batch nor waits for patches queued after the call.
   */
  settled(): Promise<void> {
    return this.batcher.settled();
  }

  close(): void {
    this.batcher.close();
  }

  startModification(modifiedNodes: JsonMap): Promise<DeploymentModificationData> {
    return this.modifications.startModification(modifiedNodes);
  }

  async finishModification(modificationId: string): Promise<void> {
    // Instance states written before the removal must not land on deleted rows afterwards.
    await this.batcher.flush();
    return this.modifications.finishModification(modificationId);
  }

  async rollbackModification(modificationId: string): Promise<void> {
    await this.batcher.flush();
    return this.modifications.rollbackModification(modificationId);
  }

  listStartedModifications(): Promise<DeploymentModificationData[]> {
    return this.modifications.listStartedModifications();
  }

  private async loadDeployment(): Promise<DeploymentInfo> {
    const rows: Array<DeploymentInfo & { scaling_groups: unknown }> = await this.dataSource.query(
      `SELECT d.id, coalesce(d.display_name, d.id) AS display_name, b.id AS blueprint_id,
              t.name AS tenant_name, u.username AS creator, d.resource_tags,
              d.runtime_only_evaluation, coalesce(d.scaling_groups, '{}'::jsonb) AS scaling_groups
         FROM deployments d
         JOIN blueprints b ON b._storage_id = d._blueprint_fk
         JOIN tenants t ON t.id = d._tenant_id
         JOIN users u ON u.id = d._creator_id
        WHERE d._storage_id = $1 AND d._tenant_id = $2`,
      [this.deployment.storageId, this.deployment.tenantId],
    );
    if (!rows[0]) throw new Error(`Deployment ${this.deployment.storageId} not found`);
    return { ...rows[0], scaling_groups: asMap(rows[0].scaling_groups) };
  }

  private async loadNodes(): Promise<WorkflowNodeData[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, type, coalesce(type_hierarchy, '[]'::jsonb) AS type_hierarchy,
              coalesce(properties, '{}'::jsonb) AS properties,
              coalesce(operations, '{}'::jsonb) AS operations,
              coalesce(relationships, '[]'::jsonb) AS relationships,
              coalesce(plugins, '[]'::jsonb) AS plugins,
              coalesce(plugins_to_install, '[]'::jsonb) AS plugins_to_install, host_id,
              number_of_instances, planned_number_of_instances, deploy_number_of_instances,
              min_number_of_instances, max_number_of_instances
         FROM nodes WHERE _deployment_fk = $1 AND _tenant_id = $2 ORDER BY _storage_id`,
      [this.deployment.storageId, this.deployment.tenantId],
    );
    return rows.map(toWorkflowNode);
  }

  /** Folds the batch per instance (in order) and writes it with one UPDATE. */
  private async writePatches(queued: QueuedPatch[]): Promise<void> {
    const byInstance = new Map<string, NodeInstancePatch[]>();
    for (const { instanceId, patch } of queued) {
      const list = byInstance.get(instanceId) ?? [];
      list.push(patch);
      byInstance.set(instanceId, list);
    }
    const ids = [...byInstance.keys()];
    const folded = ids.map((id) => foldPatches(byInstance.get(id) ?? []));
    // On failure the batcher keeps the batch and retries it; callers wait until it is written.
    await this.dataSource.query(UPDATE_INSTANCES_SQL, [
      ids,
      folded.map((f) => f.state),
      folded.map((f) => (f.systemProperties ? JSON.stringify(f.systemProperties) : null)),
      folded.map((f) => f.reachedConfigured),
      folded.map((f) => f.reachedStarted),
      this.deployment.tenantId,
      this.deployment.storageId,
      JSON.stringify({ ok: true, result: null, task: null, timestamp: new Date().toISOString() }),
    ]);
    queued.forEach((q) => q.done());
  }
}

/** A stored node in the shape of the plan node the engine reads. */
function toWorkflowNode(row: Record<string, unknown>): WorkflowNodeData {
  const count = Number(row.number_of_instances);
  const deploy = Number(row.deploy_number_of_instances);
  return {
    id: String(row.id),
    name: String(row.id),
    type: String(row.type),
    type_hierarchy: row.type_hierarchy as string[],
    properties: asMap(row.properties),
    operations: row.operations as WorkflowNodeData['operations'],
    interfaces: {},
    relationships: row.relationships as WorkflowNodeData['relationships'],
    plugins: row.plugins as WorkflowNodeData['plugins'],
    plugins_to_install: row.plugins_to_install as WorkflowNodeData['plugins_to_install'],
    deployment_plugins_to_install: [],
    host_id: (row.host_id as string | null) ?? null,
    instances: { deploy },
    capabilities: {
      scalable: {
        properties: {
          default_instances: deploy,
          min_instances: Number(row.min_number_of_instances),
          max_instances: Number(row.max_number_of_instances),
          current_instances: count,
          planned_instances: Number(row.planned_number_of_instances),
        },
      },
    },
    number_of_instances: count,
    deploy_number_of_instances: deploy,
  };
}

/**
 * $1 ids, $2 states (null = unchanged), $3 system_properties (null = unchanged), $4 reached
 * configured, $5 reached started, $6 tenant, $7 deployment, $8 the fresh ok-status object.
 */
const UPDATE_INSTANCES_SQL = `
WITH v AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::boolean[], $5::boolean[])
    AS v(id, state, sys, configured, started)
), next AS (
  SELECT i._storage_id, coalesce(v.state, i.state) AS state,
         (coalesce(v.sys, i.system_properties, '{}'::jsonb)
           || CASE WHEN v.configured THEN jsonb_build_object('configuration_drift', $8::jsonb)
                   ELSE '{}'::jsonb END
           || CASE WHEN v.started THEN jsonb_build_object('status', $8::jsonb, 'previous_status', null)
                   ELSE '{}'::jsonb END) AS sys
    FROM v
    JOIN node_instances i ON i.id = v.id AND i._tenant_id = $6
    JOIN nodes n ON n._storage_id = i._node_fk AND n._deployment_fk = $7
)
UPDATE node_instances i
   SET state = next.state,
       system_properties = next.sys,
       version = i.version + 1,
       is_status_check_ok = coalesce(next.sys->'status'->'ok' = 'true'::jsonb, false),
       has_configuration_drift = EXISTS (
         SELECT 1 FROM (
           SELECT next.sys->'configuration_drift' AS d
           UNION ALL SELECT value FROM jsonb_each(CASE WHEN jsonb_typeof(next.sys->'source_relationships_configuration_drift') = 'object'
                                                      THEN next.sys->'source_relationships_configuration_drift' ELSE '{}'::jsonb END)
           UNION ALL SELECT value FROM jsonb_each(CASE WHEN jsonb_typeof(next.sys->'target_relationships_configuration_drift') = 'object'
                                                      THEN next.sys->'target_relationships_configuration_drift' ELSE '{}'::jsonb END)
         ) drifts
         WHERE jsonb_typeof(drifts.d) = 'object'
           AND ((drifts.d ? 'ok' AND drifts.d->'ok' <> 'true'::jsonb)
                OR (drifts.d ? 'result' AND drifts.d->'result' <> 'null'::jsonb)))
  FROM next
 WHERE i._storage_id = next._storage_id`;
