import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { modifyDeployment } from '@nestify/dsl';
import type { PlanNodeInstance, ScalingGroup } from '@nestify/dsl';
import type {
  DeploymentModificationData,
  DeploymentSnapshot,
  JsonMap,
  NodeInstanceData,
} from '@nestify/workflows';
import type { DeploymentRef, ModificationStore } from './deployment-store';

type Relationship = NodeInstanceData['relationships'][number];
type ModifiedData = NodeInstanceData & { modification?: string };
/** An instance as libs/dsl's modification reports it. */
type ModifiedNodeInstance = ReturnType<typeof modifyDeployment>['added_and_related'][number];

/** What a modification row keeps in `node_instances` (Cloudify's keys). */
interface StoredInstances {
  added_and_related: ModifiedData[];
  extended_and_related: ModifiedData[];
  reduced_and_related: ModifiedData[];
  removed_and_related: ModifiedData[];
}

interface ModificationRow {
  id: string;
  status: DeploymentModificationData['status'];
  modified_nodes: JsonMap;
  node_instances: StoredInstances;
}

/** Fresh random ids may collide with another deployment's instance; this many draws is plenty. */
const MAX_ID_ATTEMPTS = 5;

/**
 * Deployment modifications (scale) in PostgreSQL, computed with libs/dsl's `modifyDeployment`.
 * Start inserts the added instances (ids unique in the tenant), extends existing instances'
 * relationships and records the planned counts; finish deletes the removed instances, drops
 * relationships to them and makes the planned counts current; rollback deletes the added
 * instances, drops relationships to them and restores the planned counts.
 */
export class TypeOrmModificationStore implements ModificationStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deployment: DeploymentRef,
    /** Reads the deployment as stored now (pending instance writes flushed). */
    private readonly loadSnapshot: () => Promise<DeploymentSnapshot>,
  ) {}

  async startModification(modifiedNodes: JsonMap): Promise<DeploymentModificationData> {
    for (let attempt = 1; ; attempt += 1) {
      const snapshot = await this.loadSnapshot();
      const computed = computeModification(snapshot, modifiedNodes);
      const addedIds = computed.added_and_related
        .filter((i) => i.modification === 'added')
        .map((i) => i.id);
      const started = await this.dataSource.transaction(async (em) => {
        await this.lockDeployment(em);
        if (await this.hasStartedModification(em)) {
          throw new Error(
            `Cannot start a deployment modification while another one is started (deployment ${snapshot.deployment.id})`,
          );
        }
        if (await this.anyIdTaken(em, addedIds)) return null;
        return this.writeStart(em, snapshot, modifiedNodes, computed);
      });
      if (started) return started;
      if (attempt >= MAX_ID_ATTEMPTS) {
        throw new Error('Could not generate node instance ids unique in the tenant');
      }
    }
  }

  async finishModification(modificationId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.lockDeployment(em);
      const row = await this.startedRow(em, modificationId);
      const removed = marked(row.node_instances.removed_and_related, 'removed');
      await this.deleteInstances(em, removed);
      await this.dropRelationshipsTo(em, removed);
      await this.applyCounts(em, row.modified_nodes, 'finish');
      await this.setStatus(em, modificationId, 'finished');
    });
  }

  async rollbackModification(modificationId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.lockDeployment(em);
      const row = await this.startedRow(em, modificationId);
      const added = marked(row.node_instances.added_and_related, 'added');
      await this.deleteInstances(em, added);
      await this.dropRelationshipsTo(em, added);
      await this.applyCounts(em, row.modified_nodes, 'rollback');
      await this.setStatus(em, modificationId, 'rolledback');
    });
  }

  async listStartedModifications(): Promise<DeploymentModificationData[]> {
    const rows: ModificationRow[] = await this.dataSource.query(
      `SELECT id, status, modified_nodes, node_instances FROM deployment_modifications
        WHERE _deployment_fk = $1 AND _tenant_id = $2 AND status = 'started'
        ORDER BY created_at`,
      [this.deployment.storageId, this.deployment.tenantId],
    );
    return rows.map(toData);
  }

  /** Serialises modifications of one deployment. */
  private async lockDeployment(em: EntityManager): Promise<void> {
    const rows: unknown[] = await em.query(
      'SELECT 1 FROM deployments WHERE _storage_id = $1 AND _tenant_id = $2 FOR UPDATE',
      [this.deployment.storageId, this.deployment.tenantId],
    );
    if (!rows.length) throw new Error(`Deployment ${this.deployment.storageId} not found`);
  }

  private async hasStartedModification(em: EntityManager): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM deployment_modifications
        WHERE _deployment_fk = $1 AND _tenant_id = $2 AND status = 'started' LIMIT 1`,
      [this.deployment.storageId, this.deployment.tenantId],
    );
    return rows.length > 0;
  }

  /** Whether an instance of the tenant (or a global one) already has one of `ids`. */
  private async anyIdTaken(em: EntityManager, ids: string[]): Promise<boolean> {
    if (!ids.length) return false;
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM node_instances
        WHERE id = ANY($1) AND (_tenant_id = $2 OR visibility = 'global') LIMIT 1`,
      [ids, this.deployment.tenantId],
    );
    return rows.length > 0;
  }

  private async writeStart(
    em: EntityManager,
    snapshot: DeploymentSnapshot,
    modifiedNodes: JsonMap,
    computed: StoredInstances,
  ): Promise<DeploymentModificationData> {
    const added = computed.added_and_related.filter((i) => i.modification === 'added');
    await this.insertInstances(em, added);
    await this.extendRelationships(
      em,
      snapshot,
      computed.extended_and_related.filter((i) => i.modification === 'extended'),
    );
    await this.applyCounts(em, modifiedNodes, 'start');
    const id = randomUUID();
    await em.query(
      `INSERT INTO deployment_modifications
         (id, status, modified_nodes, node_instances, context, _deployment_fk, _tenant_id,
          _creator_id, visibility)
       SELECT $1, 'started', $2, $3, '{}'::jsonb, d._storage_id, d._tenant_id, d._creator_id,
              d.visibility
         FROM deployments d WHERE d._storage_id = $4 AND d._tenant_id = $5`,
      [
        id,
        JSON.stringify(modifiedNodes),
        JSON.stringify(computed),
        this.deployment.storageId,
        this.deployment.tenantId,
      ],
    );
    return toData({
      id,
      status: 'started',
      modified_nodes: modifiedNodes,
      node_instances: computed,
    });
  }

  /** Inserts the new instances under their nodes, with the nodes' visibility and creator. */
  private async insertInstances(em: EntityManager, added: ModifiedData[]): Promise<void> {
    if (!added.length) return;
    await em.query(
      `INSERT INTO node_instances
         (id, state, version, runtime_properties, system_properties, relationships,
          scaling_groups, host_id, index, _node_fk, _tenant_id, _creator_id, visibility)
       SELECT v.id, 'uninitialized', 1, '{}'::jsonb, '{}'::jsonb, v.relationships,
              v.scaling_groups, v.host_id, v.index, n._storage_id, n._tenant_id, n._creator_id,
              n.visibility
         FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[], $5::text[], $6::integer[])
              AS v(id, node_id, relationships, scaling_groups, host_id, index)
         JOIN nodes n ON n.id = v.node_id AND n._deployment_fk = $7 AND n._tenant_id = $8`,
      [
        added.map((i) => i.id),
        added.map((i) => i.node_id),
        added.map((i) => JSON.stringify(i.relationships)),
        added.map((i) => JSON.stringify(i.scaling_groups ?? [])),
        added.map((i) => i.host_id),
        added.map((i) => i.index),
        this.deployment.storageId,
        this.deployment.tenantId,
      ],
    );
  }

  /** Existing instances gain the relationships to new instances (kept after those they had). */
  private async extendRelationships(
    em: EntityManager,
    snapshot: DeploymentSnapshot,
    extended: ModifiedData[],
  ): Promise<void> {
    const current = new Map(snapshot.instances.map((i) => [i.id, i.relationships]));
    for (const instance of extended) {
      const existing = current.get(instance.id) ?? [];
      const known = new Set(existing.map(relationshipKey));
      const gained = instance.relationships.filter((r) => !known.has(relationshipKey(r)));
      if (!gained.length) continue;
      await this.setRelationships(em, instance.id, [...existing, ...gained]);
    }
  }

  /** Remaining instances of the deployment lose their relationships to `ids`. */
  private async dropRelationshipsTo(em: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows: Array<{ id: string; relationships: Relationship[] }> = await em.query(
      `SELECT i.id, i.relationships FROM node_instances i
         JOIN nodes n ON n._storage_id = i._node_fk
        WHERE n._deployment_fk = $1 AND i._tenant_id = $2
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(i.relationships, '[]'::jsonb)) r
                       WHERE r->>'target_id' = ANY($3))`,
      [this.deployment.storageId, this.deployment.tenantId, ids],
    );
    const gone = new Set(ids);
    for (const row of rows) {
      await this.setRelationships(
        em,
        row.id,
        row.relationships.filter((r) => !gone.has(r.target_id)),
      );
    }
  }

  private async setRelationships(
    em: EntityManager,
    instanceId: string,
    relationships: Relationship[],
  ): Promise<void> {
    await em.query(
      `UPDATE node_instances i SET relationships = $1, version = i.version + 1
         FROM nodes n
        WHERE n._storage_id = i._node_fk AND n._deployment_fk = $2
          AND i.id = $3 AND i._tenant_id = $4`,
      [
        JSON.stringify(relationships),
        this.deployment.storageId,
        instanceId,
        this.deployment.tenantId,
      ],
    );
  }

  private async deleteInstances(em: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await em.query(
      `DELETE FROM node_instances i USING nodes n
        WHERE n._storage_id = i._node_fk AND n._deployment_fk = $1
          AND i._tenant_id = $2 AND i.id = ANY($3)`,
      [this.deployment.storageId, this.deployment.tenantId, ids],
    );
  }

  /**
   * Start plans the new counts, finish makes them current, rollback plans the current ones
   * again: on the scaling group in deployments.scaling_groups, or on the node's columns.
   */
  private async applyCounts(
    em: EntityManager,
    modifiedNodes: JsonMap,
    step: 'start' | 'finish' | 'rollback',
  ): Promise<void> {
    const { storageId, tenantId } = this.deployment;
    for (const [entity, change] of Object.entries(modifiedNodes)) {
      const count = Number((change as { instances?: unknown } | null)?.instances);
      const groupPath = [entity, 'properties'];
      if (step === 'start') {
        await em.query(
          `UPDATE deployments SET scaling_groups = jsonb_set(scaling_groups, $1::text[],
                  scaling_groups #> $1::text[] || jsonb_build_object('planned_instances', $2::int))
            WHERE _storage_id = $3 AND _tenant_id = $4 AND scaling_groups #> $1::text[] IS NOT NULL`,
          [groupPath, count, storageId, tenantId],
        );
        await this.updateNode(em, entity, 'planned_number_of_instances = $4::int', [count]);
      } else if (step === 'finish') {
        await em.query(
          `UPDATE deployments SET scaling_groups = jsonb_set(scaling_groups, $1::text[],
                  scaling_groups #> $1::text[] || jsonb_build_object('current_instances', $2::int))
            WHERE _storage_id = $3 AND _tenant_id = $4 AND scaling_groups #> $1::text[] IS NOT NULL`,
          [groupPath, count, storageId, tenantId],
        );
        await this.updateNode(em, entity, 'number_of_instances = $4::int', [count]);
      } else {
        await em.query(
          `UPDATE deployments SET scaling_groups = jsonb_set(scaling_groups, $1::text[],
                  scaling_groups #> $1::text[] || jsonb_build_object('planned_instances',
                    scaling_groups #> ($1::text[] || '{current_instances}'::text[])))
            WHERE _storage_id = $2 AND _tenant_id = $3 AND scaling_groups #> $1::text[] IS NOT NULL`,
          [groupPath, storageId, tenantId],
        );
        await this.updateNode(em, entity, 'planned_number_of_instances = number_of_instances', []);
      }
    }
  }

  /** Updates the node named `nodeId` of this deployment; `$4…` in `set` are `extra`. */
  private async updateNode(
    em: EntityManager,
    nodeId: string,
    set: string,
    extra: unknown[],
  ): Promise<void> {
    await em.query(
      `UPDATE nodes SET ${set} WHERE _deployment_fk = $1 AND _tenant_id = $2 AND id = $3`,
      [this.deployment.storageId, this.deployment.tenantId, nodeId, ...extra],
    );
  }

  private async startedRow(em: EntityManager, modificationId: string): Promise<ModificationRow> {
    const rows: ModificationRow[] = await em.query(
      `SELECT id, status, modified_nodes, node_instances FROM deployment_modifications
        WHERE id = $1 AND _deployment_fk = $2 AND _tenant_id = $3`,
      [modificationId, this.deployment.storageId, this.deployment.tenantId],
    );
    const row = rows[0];
    if (!row) throw new Error(`Deployment modification ${modificationId} not found`);
    if (row.status !== 'started') {
      throw new Error(`Deployment modification ${modificationId} is already ${row.status}`);
    }
    return row;
  }

  private async setStatus(
    em: EntityManager,
    modificationId: string,
    status: 'finished' | 'rolledback',
  ): Promise<void> {
    await em.query(
      `UPDATE deployment_modifications SET status = $1, ended_at = now()
        WHERE id = $2 AND _deployment_fk = $3 AND _tenant_id = $4`,
      [status, modificationId, this.deployment.storageId, this.deployment.tenantId],
    );
  }
}

/** Runs libs/dsl's modification on the stored deployment; new instances numbered per node. */
export function computeModification(
  snapshot: DeploymentSnapshot,
  modifiedNodes: JsonMap,
): StoredInstances {
  const stored = new Map(snapshot.instances.map((i) => [i.id, i]));
  const result = modifyDeployment({
    nodes: snapshot.nodes,
    previousNodeInstances: snapshot.instances.map(toPlanInstance),
    modifiedNodes: modifiedNodes as never,
    scalingGroups: (snapshot.deployment.scaling_groups ?? {}) as unknown as Record<
      string,
      ScalingGroup
    >,
  });
  // New instances are numbered after the node's highest index (or its count, if unnumbered).
  const nextIndex = new Map<string, number>();
  for (const instance of snapshot.instances) {
    const last = nextIndex.get(instance.node_id) ?? 1;
    nextIndex.set(instance.node_id, Math.max(last + 1, (instance.index ?? 0) + 1));
  }
  const newInstance = (instance: ModifiedNodeInstance): NodeInstanceData => {
    const index = nextIndex.get(instance.node_id) ?? 1;
    nextIndex.set(instance.node_id, index + 1);
    return {
      id: instance.id,
      node_id: instance.node_id,
      host_id: instance.host_id,
      state: 'uninitialized',
      version: 1,
      runtime_properties: {},
      system_properties: {},
      relationships: [],
      scaling_groups: (instance.scaling_groups ?? []) as NodeInstanceData['scaling_groups'],
      index,
    };
  };
  // A new instance listed twice (as added, then as another's target) gets one index.
  const made = new Map<string, NodeInstanceData>();
  const toData = (list: ModifiedNodeInstance[]): ModifiedData[] =>
    list.map((instance) => {
      let base = stored.get(instance.id) ?? made.get(instance.id);
      if (!base) {
        base = newInstance(instance);
        made.set(instance.id, base);
      }
      const data: ModifiedData = {
        ...base,
        relationships: instance.relationships.map((r) => ({ ...r })),
      };
      if (instance.modification) data.modification = instance.modification;
      return data;
    });
  return {
    added_and_related: toData(result.added_and_related),
    extended_and_related: toData(result.extended_and_related),
    reduced_and_related: toData(result.reduced_and_related),
    removed_and_related: toData(result.removed_and_related),
  };
}

function toPlanInstance(instance: NodeInstanceData): PlanNodeInstance {
  return {
    id: instance.id,
    name: instance.node_id,
    node_id: instance.node_id,
    host_id: instance.host_id,
    relationships: instance.relationships,
    scaling_groups: instance.scaling_groups,
  };
}

function toData(row: ModificationRow): DeploymentModificationData {
  return {
    id: row.id,
    status: row.status,
    modified_nodes: row.modified_nodes,
    node_instances: {
      added_and_related: row.node_instances.added_and_related,
      removed_and_related: row.node_instances.removed_and_related,
    },
  };
}

function marked(list: ModifiedData[], mark: string): string[] {
  return list.filter((i) => i.modification === mark).map((i) => i.id);
}

function relationshipKey(relationship: Relationship): string {
  return `${relationship.type}\u0000${relationship.target_id}`;
}
