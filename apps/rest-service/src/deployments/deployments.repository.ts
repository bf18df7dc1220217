import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConflictError, Visibility } from '@nestify/common';
import {
  ACTIVE_EXECUTION_STATUSES,
  Blueprint,
  Deployment,
  DeploymentLabel,
  Execution,
  JsonObject,
  Node,
  NodeInstance,
  Site,
  Tenant,
  User,
  WAITING_EXECUTION_STATUSES,
} from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import {
  applyListQuery,
  ColumnMap,
  containsPattern,
  distinctLabelStrings,
} from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';
import { FilterRule, filterRulesCondition, FilterTarget } from '../filters/filter-rules';
import { AvailabilityFacts, DeploymentRow, LabelRow } from './deployment-response';

/** Where filter rules on deployments point, in the list query's aliases. */
const FILTER_TARGET: FilterTarget = {
  storageId: 'd.storageId',
  labelsTable: 'deployments_labels',
  attributes: {
    id: 'd.id',
    blueprint_id: 'b.id',
    created_by: 'u.username',
    site_name: 's.name',
    tenant_name: 't.name',
    display_name: 'd.displayName',
    installation_status: 'd.installationStatus',
  },
};

/** The columns of a deployment row, as SQL over `d` and its joined blueprint, site, executions. */
const SELECTS: Record<keyof DeploymentRow, string> = {
  _storage_id: 'd.storageId',
  _tenant_id: 'd.tenantId',
  id: 'd.id',
  display_name: 'd.displayName',
  blueprint_id: 'b.id',
  description: 'd.description',
  inputs: 'd.inputs',
  outputs: 'd.outputs',
  capabilities: 'd.capabilities',
  groups: 'd.groups',
  policy_types: 'd.policyTypes',
  policy_triggers: 'd.policyTriggers',
  scaling_groups: 'd.scalingGroups',
  workflows: 'd.workflows',
  permalink: 'd.permalink',
  runtime_only_evaluation: 'd.runtimeOnlyEvaluation',
  created_at: 'd.createdAt',
  updated_at: 'd.updatedAt',
  site_name: 's.name',
  installation_status: 'd.installationStatus',
  deployment_status: 'd.deploymentStatus',
  latest_execution: 'le.id',
  create_execution: 'ce.id',
  latest_execution_status: 'le.status',
  latest_execution_workflow_id: 'le.workflowId',
  latest_execution_total_operations: 'le.totalOperations',
  latest_execution_finished_operations: 'le.finishedOperations',
  sub_services_status: 'd.subServicesStatus',
  sub_environments_status: 'd.subEnvironmentsStatus',
  sub_services_count: 'd.subServicesCount',
  sub_environments_count: 'd.subEnvironmentsCount',
  has_sub_deployments: '(d.subServicesCount + d.subEnvironmentsCount > 0)',
  environment_type: `COALESCE((SELECT l.value FROM deployments_labels l
      WHERE l._labeled_model_fk = d.storageId AND l.key = 'csys-env-type'
      ORDER BY l.id LIMIT 1), '')`,
  resource_tags: 'd.resourceTags',
  drifted_instances: 'd.driftedInstances',
  unavailable_instances: 'd.unavailableInstances',
  visibility: 'd.visibility',
  tenant_name: 't.name',
  created_by: 'u.username',
};

const JSON_FIELDS = [
  'inputs',
  'outputs',
  'capabilities',
  'groups',
  'policy_types',
  'policy_triggers',
  'scaling_groups',
  'resource_tags',
];
const NUMBER_FIELDS = [
  'latest_execution_total_operations',
  'latest_execution_finished_operations',
  'sub_services_count',
  'sub_environments_count',
  'drifted_instances',
  'unavailable_instances',
];

/**
 * Filters and sort keys by response field; JSON fields compare as their text. CAST(…), not `::`:
 * TypeORM maps `d.policyTriggers` to its column only when a space, comma or `)` follows it.
 */
const COLUMNS: ColumnMap = {
  ...Object.fromEntries(
    Object.entries(SELECTS)
      .filter(([field]) => !field.startsWith('_'))
      .map(([field, sql]) => {
        if (JSON_FIELDS.includes(field)) return [field, { expression: `CAST(${sql} AS text)` }];
        if (NUMBER_FIELDS.includes(field)) return [field, { expression: sql, kind: 'number' }];
        return [field, { expression: sql }];
      }),
  ),
  runtime_only_evaluation: { expression: 'd.runtimeOnlyEvaluation', kind: 'boolean' },
  has_sub_deployments: { expression: SELECTS.has_sub_deployments, kind: 'boolean' },
  resource_availability: { expression: 'd.visibility' },
  private_resource: { expression: "(d.visibility = 'private')", kind: 'boolean' },
};

/** Rows per INSERT, well below PostgreSQL's 65,535 parameters for nodes and instances. */
const INSERT_BATCH = 1000;

/** A blueprint as deployment creation needs it. */
export type DeployableBlueprint = Pick<
  Blueprint,
  'storageId' | 'id' | 'tenantId' | 'visibility' | 'state' | 'plan'
>;

/** Everything a new deployment writes, inserted in one transaction. */
export interface NewDeploymentRows {
  deployment: Partial<Deployment>;
  labels: { key: string; value: string }[];
  /** The create_deployment_environment execution (its deployment key is filled in here). */
  execution: Partial<Execution>;
  /** Node rows without their deployment key. */
  nodes: Partial<Node>[];
  /** Instance rows without their node key; `node_id` names the node. */
  instances: (Partial<NodeInstance> & { node_id: string })[];
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505'
  );
}

/** Every query on deployments and what creating and deleting one writes, scoped by tenant. */
@Injectable()
export class DeploymentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One query: deployments with their blueprint id, site name, executions, tenant, creator. */
  private visible(scope: TenantScope): SelectQueryBuilder<Deployment> {
    const qb = this.db
      .createQueryBuilder(Deployment, 'd')
      .innerJoin(Blueprint, 'b', 'b.storageId = d.blueprintFk')
      .leftJoin(Site, 's', 's.storageId = d.siteFk')
      .leftJoin(Execution, 'le', 'le.storageId = d.latestExecutionFk')
      .leftJoin(Execution, 'ce', 'ce.storageId = d.createExecutionFk')
      .innerJoin(Tenant, 't', 't.id = d.tenantId')
      .innerJoin(User, 'u', 'u.id = d.creatorId')
      .select(SELECTS._storage_id, '_storage_id');
    for (const [field, sql] of Object.entries(SELECTS))
      if (field !== '_storage_id') qb.addSelect(sql, field);
    return whereVisible(qb, 'd', scope);
  }

  /** The caller's own deployment with that id, else a global one of another tenant. */
  async findVisible(id: string, scope: TenantScope): Promise<DeploymentRow | undefined> {
    return this.visible(scope)
      .andWhere('d.id = :id', { id })
      .orderBy('CASE WHEN d.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .limit(1)
      .getRawOne<DeploymentRow>();
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
    extra: { searchName?: string; groupId?: string; filterRules?: FilterRule[] },
  ): Promise<{ items: DeploymentRow[]; total: number }> {
    const qb = this.visible(scope);
    const rules = filterRulesCondition(extra.filterRules ?? [], FILTER_TARGET);
    if (rules) qb.andWhere(`(${rules.sql})`, rules.params);
    if (extra.searchName !== undefined) {
      qb.andWhere('d.displayName ILIKE :searchName', {
        searchName: containsPattern(extra.searchName),
      });
    }
    if (extra.groupId !== undefined) {
      qb.andWhere(
        `d.storageId IN (SELECT gd.deployment_id FROM deployment_groups_deployments gd
           JOIN deployment_groups g ON g._storage_id = gd.deployment_group_id
          WHERE g.id = :groupId AND g._tenant_id = :scopeTenant)`,
        { groupId: extra.groupId },
      );
    }
    applyListQuery(qb, query, COLUMNS, 'id');
    if (!query.sort.length) qb.orderBy('d.createdAt', 'ASC');
    qb.addOrderBy('d.storageId', 'ASC');
    const total = await qb.getCount();
    if ((query.size === 0 && !query.getAllResults) || total === 0) return { items: [], total };
    return { items: await qb.getRawMany<DeploymentRow>(), total };
  }

  /** Labels of each deployment, in the order they were added. */
  async labelsOf(storageIds: number[]): Promise<Map<number, LabelRow[]>> {
    const byDeployment = new Map<number, LabelRow[]>(storageIds.map((id) => [id, []]));
    if (!storageIds.length) return byDeployment;
    const labels = await this.db.getRepository(DeploymentLabel).find({
      where: { labeledModelFk: In(storageIds) },
      relations: { creator: true },
      order: { id: 'ASC' },
    });
    for (const label of labels) {
      byDeployment.get(label.labeledModelFk)?.push({
        key: label.key,
        value: label.value,
        createdAt: label.createdAt,
        creatorName: label.creator?.username ?? '',
      });
    }
    return byDeployment;
  }

  /** Ids of the deployment groups each deployment belongs to. */
  async groupsOf(storageIds: number[]): Promise<Map<number, string[]>> {
    const byDeployment = new Map<number, string[]>(storageIds.map((id) => [id, []]));
    if (!storageIds.length) return byDeployment;
    const rows: { deployment: number; id: string }[] = await this.db.query(
      `SELECT gd.deployment_id AS deployment, g.id
         FROM deployment_groups_deployments gd
         JOIN deployment_groups g ON g._storage_id = gd.deployment_group_id
        WHERE gd.deployment_id = ANY($1)
        ORDER BY g.id`,
      [storageIds],
    );
    for (const row of rows) byDeployment.get(row.deployment)?.push(row.id);
    return byDeployment;
  }

  /** Instance states and node types of each deployment (what workflow availability reads). */
  async availabilityFacts(storageIds: number[]): Promise<Map<number, AvailabilityFacts>> {
    const facts = new Map<number, AvailabilityFacts>(
      storageIds.map((id) => [id, { instanceStates: [], nodeTypes: [] }]),
    );
    if (!storageIds.length) return facts;
    const states: { deployment: number; state: string }[] = await this.db.query(
      `SELECT DISTINCT n._deployment_fk AS deployment, ni.state
         FROM nodes n JOIN node_instances ni ON ni._node_fk = n._storage_id
        WHERE n._deployment_fk = ANY($1)`,
      [storageIds],
    );
    const types: { deployment: number; type: string }[] = await this.db.query(
      `SELECT DISTINCT n._deployment_fk AS deployment, t.type
         FROM nodes n
         CROSS JOIN LATERAL jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(n.type_hierarchy) = 'array' THEN n.type_hierarchy
                ELSE jsonb_build_array(n.type) END) AS t(type)
        WHERE n._deployment_fk = ANY($1)`,
      [storageIds],
    );
    for (const row of states) facts.get(row.deployment)?.instanceStates.push(row.state);
    for (const row of types) facts.get(row.deployment)?.nodeTypes.push(row.type);
    return facts;
  }

  /** The blueprint `id` the caller sees: its own tenant's first, else a global one. */
  async findBlueprint(id: string, scope: TenantScope): Promise<DeployableBlueprint | undefined> {
    const qb = this.db
      .getRepository(Blueprint)
      .createQueryBuilder('b')
      .select(['b.storageId', 'b.id', 'b.tenantId', 'b.visibility', 'b.state', 'b.plan'])
      .where('b.id = :id', { id });
    const blueprint = await whereVisible(qb, 'b', scope)
      .orderBy('CASE WHEN b.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return blueprint ?? undefined;
  }

  /** The site `name` the caller sees: its own tenant's first, else a global one. */
  async findSite(
    name: string,
    scope: TenantScope,
  ): Promise<{ storageId: number; visibility: Visibility } | undefined> {
    const qb = this.db
      .getRepository(Site)
      .createQueryBuilder('s')
      .select(['s.storageId', 's.visibility'])
      .where('s.name = :name', { name });
    const site = await whereVisible(qb, 's', scope)
      .orderBy('CASE WHEN s.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return site ?? undefined;
  }

  /**
   * The deployment holding `id` where a new one would clash (the tenant's own, or a global one),
   * with the workflows and statuses of its executions.
   */
  async findClash(
    id: string,
    tenantId: number,
  ): Promise<
    { storageId: number; executions: { workflowId: string; status: string }[] } | undefined
  > {
    const found = await this.db
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .select(['d.storageId'])
      .where('d.id = :id', { id })
      .andWhere("(d.tenantId = :tenantId OR d.visibility = 'global')", { tenantId })
      .getOne();
    if (!found) return undefined;
    const executions = await this.db.getRepository(Execution).find({
      select: { workflowId: true, status: true },
      where: { deploymentFk: found.storageId },
    });
    return { storageId: found.storageId, executions };
  }

  /** Ids of the deployment's executions that are running or waiting to run. */
  async activeExecutionIds(storageId: number): Promise<string[]> {
    const statuses = [...ACTIVE_EXECUTION_STATUSES, ...WAITING_EXECUTION_STATUSES];
    const rows = await this.db.getRepository(Execution).find({
      select: { id: true },
      where: { deploymentFk: storageId, status: In(statuses) },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => row.id);
  }

  /** Ids of the deployment's instances in a live state (neither uninitialized nor deleted). */
  async liveInstanceIds(storageId: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT ni.id FROM node_instances ni JOIN nodes n ON n._storage_id = ni._node_fk
        WHERE n._deployment_fk = $1 AND ni.state NOT IN ('uninitialized', 'deleted')
        ORDER BY ni._storage_id`,
      [storageId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Writes a new deployment in one transaction: the row, its labels, its nodes and instances
   * (one multi-row INSERT per batch) and its create_deployment_environment execution, which
   * becomes both its create and its latest execution. A taken id is a 409.
   */
  async insertDeployment(rows: NewDeploymentRows): Promise<number> {
    try {
      return await this.db.transaction(async (em) => {
        const inserted = await em
          .createQueryBuilder()
          .insert()
          .into(Deployment)
          .values(rows.deployment as QueryDeepPartialEntity<Deployment>)
          .returning('_storage_id')
          .updateEntity(false)
          .execute();
        const storageId = (inserted.raw as { _storage_id: number }[])[0]._storage_id;
        await this.insertLabels(em, storageId, rows);
        await this.insertNodes(em, storageId, rows);
        const execution = await em
          .createQueryBuilder()
          .insert()
          .into(Execution)
          .values({
            ...rows.execution,
            deploymentFk: storageId,
          } as QueryDeepPartialEntity<Execution>)
          .returning('_storage_id')
          .updateEntity(false)
          .execute();
        const executionFk = (execution.raw as { _storage_id: number }[])[0]._storage_id;
        await em
          .getRepository(Deployment)
          .update(
            { storageId },
            { createExecutionFk: executionFk, latestExecutionFk: executionFk },
          );
        return storageId;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const { id } = rows.deployment;
        throw new ConflictError(`<Deployment id=\`${id}\`> already exists`);
      }
      throw error;
    }
  }

  private async insertLabels(em: EntityManager, storageId: number, rows: NewDeploymentRows) {
    if (!rows.labels.length) return;
    const { tenantId, creatorId, visibility } = rows.deployment;
    await em.getRepository(DeploymentLabel).insert(
      rows.labels.map(({ key, value }) => ({
        key,
        value,
        labeledModelFk: storageId,
        tenantId,
        creatorId,
        visibility,
      })),
    );
  }

  private async insertNodes(em: EntityManager, storageId: number, rows: NewDeploymentRows) {
    if (!rows.nodes.length) return;
    for (let start = 0; start < rows.nodes.length; start += INSERT_BATCH) {
      const batch = rows.nodes.slice(start, start + INSERT_BATCH);
      await em
        .createQueryBuilder()
        .insert()
        .into(Node)
        .values(
          batch.map((node) => ({
            ...node,
            deploymentFk: storageId,
          })) as QueryDeepPartialEntity<Node>[],
        )
        .updateEntity(false)
        .execute();
    }
    const nodes: { id: string; storage_id: number }[] = await em.query(
      'SELECT id, _storage_id AS storage_id FROM nodes WHERE _deployment_fk = $1',
      [storageId],
    );
    const nodeFk = new Map(nodes.map((node) => [node.id, node.storage_id]));
    const instances = rows.instances.map(({ node_id, ...instance }) => ({
      ...instance,
      nodeFk: nodeFk.get(node_id),
    }));
    for (let start = 0; start < instances.length; start += INSERT_BATCH) {
      await em
        .createQueryBuilder()
        .insert()
        .into(NodeInstance)
        .values(
          instances.slice(start, start + INSERT_BATCH) as QueryDeepPartialEntity<NodeInstance>[],
        )
        .updateEntity(false)
        .execute();
    }
  }

  /** Which of `ids` an instance of the tenant (or a global one) already has. */
  async takenInstanceIds(ids: string[], tenantId: number): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.db.query(
      `SELECT DISTINCT id FROM node_instances
        WHERE id = ANY($1) AND (_tenant_id = $2 OR visibility = 'global')`,
      [ids, tenantId],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Deletes a deployment; foreign keys take its nodes and instances (and their agents), its
   * executions with their task graphs, events and logs, its labels and modifications.
   */
  async delete(storageId: number): Promise<void> {
    await this.db.getRepository(Deployment).delete({ storageId });
  }

  async update(storageId: number, changes: Partial<Deployment>): Promise<void> {
    await this.db.getRepository(Deployment).update({ storageId }, {
      ...changes,
      updatedAt: new Date(),
    } as QueryDeepPartialEntity<Deployment>);
  }

  /** Distinct label keys (or values of one key) on the deployments the caller sees. */
  labelStrings(
    scope: TenantScope,
    query: ListQuery,
    key?: string,
  ): Promise<{ items: string[]; total: number }> {
    const qb = this.db
      .getRepository(DeploymentLabel)
      .createQueryBuilder('label')
      .innerJoin('label.deployment', 'd');
    return distinctLabelStrings(qb, 'd', scope, query, key);
  }

  // ---- what evaluating outputs and capabilities reads ----

  /** Instances of the deployment, all of them or one node's, or one by id. */
  async runtimeInstances(
    deploymentFk: number,
    where: { nodeId?: string; id?: string },
  ): Promise<RuntimeInstanceRow[]> {
    const params: unknown[] = [deploymentFk];
    let filter = '';
    if (where.nodeId !== undefined) {
      params.push(where.nodeId);
      filter += ` AND n.id = $${params.length}`;
    }
    if (where.id !== undefined) {
      params.push(where.id);
      filter += ` AND ni.id = $${params.length}`;
    }
    return this.db.query(
      `SELECT ni.id, n.id AS node_id, ni.host_id, ni.runtime_properties, ni.relationships,
              ni.scaling_groups, ni.index
         FROM node_instances ni JOIN nodes n ON n._storage_id = ni._node_fk
        WHERE n._deployment_fk = $1${filter}
        ORDER BY ni._storage_id`,
      params,
    );
  }

  async runtimeNode(
    deploymentFk: number,
    nodeId: string,
  ): Promise<
    { id: string; properties: JsonObject | null; relationships: JsonObject[] | null } | undefined
  > {
    const rows: {
      id: string;
      properties: JsonObject | null;
      relationships: JsonObject[] | null;
    }[] = await this.db.query(
      'SELECT id, properties, relationships FROM nodes WHERE _deployment_fk = $1 AND id = $2',
      [deploymentFk, nodeId],
    );
    return rows[0];
  }

  /** A deployment of the tenant (or a global one) by id: its key and declared capabilities. */
  async capabilitiesOf(
    id: string,
    scope: TenantScope,
  ): Promise<{ storageId: number; capabilities: JsonObject | null } | undefined> {
    const qb = this.db
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .select(['d.storageId', 'd.capabilities'])
      .where('d.id = :id', { id });
    const found = await whereVisible(qb, 'd', scope)
      .orderBy('CASE WHEN d.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return found ?? undefined;
  }
}

/** A node instance as runtime evaluation reads it. */
export interface RuntimeInstanceRow {
  id: string;
  node_id: string;
  host_id: string | null;
  runtime_properties: JsonObject | null;
  relationships: { target_id: string; target_name: string; type: string }[] | null;
  scaling_groups: { name: string; id: string }[] | null;
  index: number | null;
}
