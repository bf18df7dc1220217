import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  ACTIVE_EXECUTION_STATUSES,
  Deployment,
  DeploymentStatus,
  END_EXECUTION_STATUSES,
  Execution,
  ExecutionStatus,
  InstallationStatus,
  Manager,
  OperationState,
  summarizeExecutionStatus,
  ExecutionSummary,
} from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { BatchLoader } from '../common/db/batch-loader';
import { entityHydrator } from '../common/db/hydrate';
import { preparedQuery } from '../common/db/prepared-query';
import {
  scopeColumns,
  TenantScope,
  visibleToScopeSql,
  whereVisible,
} from '../common/tenancy/tenant-scope';
import { DeploymentShape } from './workflow-availability';

const ACTIVE = [...ACTIVE_EXECUTION_STATUSES];
const ENDED = [...END_EXECUTION_STATUSES];
const CREATE_DEP_ENV = 'create_deployment_environment';

/** An execution with the names its response shows. */
export interface ExecutionRow {
  execution: Execution;
  deploymentId: string | null;
  deploymentDisplayName: string | null;
  tenantName: string;
  creatorName: string;
}

/** A deployment as starting an execution needs it. */
export interface DeploymentForStart {
  storageId: number;
  id: string;
  displayName: string | null;
  workflows: Record<string, unknown> | null;
  tenantId: number;
  visibility: Deployment['visibility'];
  blueprintId: string | null;
  createExecution: { status: string; error: string | null } | null;
}

/** Everything the start message needs beyond the execution row. */
export interface DispatchContext {
  execution: Execution;
  creatorName: string;
  tenantName: string;
  deployment: {
    id: string;
    displayName: string | null;
    creatorName: string;
    resourceTags: unknown;
    runtimeOnlyEvaluation: boolean;
    workflows: Record<string, unknown> | null;
  } | null;
  restHost: string[];
}

const COLUMNS: ColumnMap = {
  id: { expression: 'execution.id' },
  workflow_id: { expression: 'execution.workflowId' },
  deployment_id: { expression: 'deployment.id' },
  deployment_display_name: { expression: 'deployment.displayName' },
  blueprint_id: { expression: 'execution.blueprintId' },
  status: { expression: 'execution.status' },
  status_display: { expression: 'execution.status' },
  error: { expression: 'execution.error' },
  is_system_workflow: { expression: 'execution.isSystemWorkflow', kind: 'boolean' },
  is_dry_run: { expression: 'execution.isDryRun', kind: 'boolean' },
  created_at: { expression: 'execution.createdAt' },
  started_at: { expression: 'execution.startedAt' },
  ended_at: { expression: 'execution.endedAt' },
  scheduled_for: { expression: 'execution.scheduledFor' },
  total_operations: { expression: 'execution.totalOperations', kind: 'number' },
  finished_operations: { expression: 'execution.finishedOperations', kind: 'number' },
  resume: { expression: 'execution.resume', kind: 'boolean' },
  allow_custom_parameters: { expression: 'execution.allowCustomParameters', kind: 'boolean' },
  visibility: { expression: 'execution.visibility' },
  resource_availability: { expression: 'execution.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

/**
 * One batch of point reads: each (id, scope) of `$1…$3` joined to the executions it may see, own
 * tenant's first (an id is unique per tenant; another tenant's may be global).
 */
const VISIBLE_BY_ID_SQL = `
  SELECT q.ord AS q_ord, e.*, d.id AS q_deployment_id, d.display_name AS q_deployment_display_name,
         t.name AS q_tenant_name, u.username AS q_creator_name
    FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS q(id, tenant_id, user_id, ord)
    JOIN executions e ON e.id = q.id AND ${visibleToScopeSql('e', 'q')}
    JOIN tenants t ON t.id = e._tenant_id
    JOIN users u ON u.id = e._creator_id
    LEFT JOIN deployments d ON d._storage_id = e._deployment_fk
   ORDER BY q.ord, (e._tenant_id = q.tenant_id) DESC`;

interface VisibleKey {
  id: string;
  scope: TenantScope;
}

/** Every query on executions (and the deployment bookkeeping their status changes cause). */
@Injectable()
export class ExecutionsRepository {
  /**
   * GET /executions/<id> is what clients poll while they wait: the reads of requests that
   * arrive together share one prepared statement's round trip.
   */
  private readonly visibleById = new BatchLoader<VisibleKey, ExecutionRow>(
    (keys) => this.readVisible(keys),
    ({ id, scope }) => `${scope.tenantId}:${scope.isAdmin ? '*' : scope.userId}:${id}`,
  );
  private readonly hydrate: (row: Record<string, unknown>) => Execution;

  constructor(private readonly dataSource: DataSource) {
    this.hydrate = entityHydrator(dataSource, Execution);
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Executions with the joined names a response shows — only those columns: a deployment row
   * carries its whole plan, and a GET /executions/<id> is what clients poll while they wait.
   */
  private query(em: EntityManager = this.dataSource.manager): SelectQueryBuilder<Execution> {
    return em
      .getRepository(Execution)
      .createQueryBuilder('execution')
      .innerJoin('execution.tenant', 'tenant')
      .innerJoin('execution.creator', 'creator')
      .leftJoin('execution.deployment', 'deployment')
      .addSelect(['tenant.id', 'tenant.name', 'creator.id', 'creator.username'])
      .addSelect(['deployment.storageId', 'deployment.id', 'deployment.displayName']);
  }

  private static row(execution: Execution): ExecutionRow {
    return {
      execution,
      deploymentId: execution.deployment?.id ?? null,
      deploymentDisplayName: execution.deployment?.displayName ?? null,
      tenantName: execution.tenant?.name ?? '',
      creatorName: execution.creator?.username ?? '',
    };
  }

  /** The execution `id` as `scope` sees it; inside a transaction when `em` is given. */
  async findVisible(
    id: string,
    scope: TenantScope,
    em?: EntityManager,
  ): Promise<ExecutionRow | undefined> {
    if (!em) return this.visibleById.load({ id, scope });
    const qb = whereVisible(this.query(em), 'execution', scope).andWhere('execution.id = :id', {
      id,
    });
    const execution = await qb.getOne();
    return execution ? ExecutionsRepository.row(execution) : undefined;
  }

  private async readVisible(keys: VisibleKey[]): Promise<Array<ExecutionRow | undefined>> {
    const scopes = keys.map(({ scope }) => scopeColumns(scope));
    const rows = await preparedQuery(this.dataSource)(
      'executions_visible_by_id',
      VISIBLE_BY_ID_SQL,
      [
        keys.map(({ id }) => id),
        scopes.map(({ tenantId }) => tenantId),
        scopes.map(({ userId }) => userId),
      ],
    );
    const found: Array<ExecutionRow | undefined> = new Array(keys.length);
    for (const row of rows) {
      const index = Number(row.q_ord) - 1;
      if (found[index]) continue;
      found[index] = {
        execution: this.hydrate(row),
        deploymentId: (row.q_deployment_id as string | null) ?? null,
        deploymentDisplayName: (row.q_deployment_display_name as string | null) ?? null,
        tenantName: row.q_tenant_name as string,
        creatorName: row.q_creator_name as string,
      };
    }
    return found;
  }

  async findByStorageId(storageId: number, em?: EntityManager): Promise<ExecutionRow> {
    const execution = await this.query(em)
      .where('execution.storageId = :storageId', { storageId })
      .getOneOrFail();
    return ExecutionsRepository.row(execution);
  }

  /** Locks the execution row for the rest of the transaction. */
  async lock(em: EntityManager, storageId: number): Promise<Execution> {
    return em
      .getRepository(Execution)
      .createQueryBuilder('execution')
      .setLock('pessimistic_write')
      .where('execution.storageId = :storageId', { storageId })
      .getOneOrFail();
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
    options: { includeSystem: boolean; groupId?: string },
  ): Promise<{ items: ExecutionRow[]; total: number }> {
    let qb = this.query();
    if (!(query.allTenants && scope.isAdmin)) qb = whereVisible(qb, 'execution', scope);
    if (!options.includeSystem && !query.filters.is_system_workflow) {
      qb.andWhere('execution.isSystemWorkflow = false');
    }
    if (options.groupId !== undefined) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM execution_groups_executions ege
           JOIN execution_groups eg ON eg._storage_id = ege.execution_group_id
          WHERE ege.execution_id = execution._storage_id AND eg.id = :groupId)`,
        { groupId: options.groupId },
      );
    }
    applyListQuery(qb, query, COLUMNS);
    if (!query.sort.length) {
      qb.orderBy('execution.createdAt', 'ASC').addOrderBy('execution.storageId', 'ASC');
    } else {
      qb.addOrderBy('execution.storageId', 'ASC');
    }
    const { items, total } = await fetchPage(qb, query);
    return { items: items.map((e) => ExecutionsRepository.row(e)), total };
  }

  /** The deployment (visible to the caller), locked so concurrency decisions on it serialise. */
  async lockDeployment(
    em: EntityManager,
    id: string,
    scope: TenantScope,
  ): Promise<DeploymentForStart | undefined> {
    const qb = em
      .getRepository(Deployment)
      .createQueryBuilder('deployment')
      .leftJoinAndSelect('deployment.blueprint', 'blueprint')
      .leftJoinAndSelect('deployment.createExecution', 'createExecution')
      .where('deployment.id = :id', { id })
      .orderBy('CASE WHEN deployment.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId);
    const deployment = await whereVisible(qb, 'deployment', scope).getOne();
    if (!deployment) return undefined;
    await this.lockDeploymentRow(em, deployment.storageId);
    return {
      storageId: deployment.storageId,
      id: deployment.id,
      displayName: deployment.displayName,
      workflows: deployment.workflows,
      tenantId: deployment.tenantId,
      visibility: deployment.visibility,
      blueprintId: deployment.blueprint?.id ?? null,
      createExecution: deployment.createExecution
        ? { status: deployment.createExecution.status, error: deployment.createExecution.error }
        : null,
    };
  }

  async lockDeploymentRow(em: EntityManager, storageId: number): Promise<void> {
    await em.query('SELECT 1 FROM deployments WHERE _storage_id = $1 FOR UPDATE', [storageId]);
  }

  async deploymentForStorageId(
    em: EntityManager,
    storageId: number,
  ): Promise<DeploymentForStart | undefined> {
    const deployment = await em
      .getRepository(Deployment)
      .createQueryBuilder('deployment')
      .leftJoinAndSelect('deployment.blueprint', 'blueprint')
      .leftJoinAndSelect('deployment.createExecution', 'createExecution')
      .where('deployment.storageId = :storageId', { storageId })
      .getOne();
    if (!deployment) return undefined;
    return {
      storageId: deployment.storageId,
      id: deployment.id,
      displayName: deployment.displayName,
      workflows: deployment.workflows,
      tenantId: deployment.tenantId,
      visibility: deployment.visibility,
      blueprintId: deployment.blueprint?.id ?? null,
      createExecution: deployment.createExecution
        ? { status: deployment.createExecution.status, error: deployment.createExecution.error }
        : null,
    };
  }

  /** Node-instance states and node types of a deployment (for availability rules). */
  async deploymentShape(em: EntityManager, deploymentFk: number): Promise<DeploymentShape> {
    const states: { state: string }[] = await em.query(
      `SELECT ni.state FROM node_instances ni JOIN nodes n ON n._storage_id = ni._node_fk
        WHERE n._deployment_fk = $1`,
      [deploymentFk],
    );
    const types: { type: string }[] = await em.query(
      `SELECT DISTINCT jsonb_array_elements_text(n.type_hierarchy) AS type
         FROM nodes n WHERE n._deployment_fk = $1 AND jsonb_typeof(n.type_hierarchy) = 'array'`,
      [deploymentFk],
    );
    return { instanceStates: states.map((r) => r.state), nodeTypes: types.map((r) => r.type) };
  }

  /**
   * What blocks an execution: active or queued system executions anywhere, and executions of the
   * same deployment that are active or queued before it (all queued ones for a new execution).
   */
  async concurrencyFacts(
    em: EntityManager,
    options: { deploymentFk: number | null; excludeStorageId?: number; createdBefore?: Date },
  ): Promise<{ systemBlockers: string[]; deploymentBlockers: string[]; anyActive: string[] }> {
    const exclude = options.excludeStorageId ?? -1;
    const system: { id: string }[] = await em.query(
      `SELECT id FROM executions WHERE is_system_workflow AND _storage_id <> $1
          AND status = ANY($2) ORDER BY _storage_id`,
      [exclude, [...ACTIVE, ExecutionStatus.Queued]],
    );
    let deployment: { id: string }[] = [];
    if (options.deploymentFk !== null) {
      deployment = await em.query(
        `SELECT id FROM executions WHERE _deployment_fk = $1 AND _storage_id <> $2
            AND (status = ANY($3) OR (status = 'queued' AND ($4::timestamptz IS NULL OR created_at < $4)))
          ORDER BY _storage_id`,
        [options.deploymentFk, exclude, ACTIVE, options.createdBefore ?? null],
      );
    }
    const any: { id: string }[] = await em.query(
      `SELECT id FROM executions WHERE _storage_id <> $1 AND status = ANY($2) ORDER BY _storage_id`,
      [exclude, ACTIVE],
    );
    return {
      systemBlockers: system.map((r) => r.id),
      deploymentBlockers: deployment.map((r) => r.id),
      anyActive: any.map((r) => r.id),
    };
  }

  async insert(em: EntityManager, values: Partial<Execution>): Promise<Execution> {
    const repository = em.getRepository(Execution);
    return repository.save(repository.create(values));
  }

  async update(em: EntityManager, storageId: number, changes: Partial<Execution>): Promise<void> {
    await em
      .getRepository(Execution)
      .update({ storageId }, changes as QueryDeepPartialEntity<Execution>);
  }

  /** The manager hosts workflows call back (their private IPs), for `rest_host`. */
  async restHosts(em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const managers = await em.getRepository(Manager).find({ order: { id: 'ASC' } });
    return managers.map((m) => m.privateIp).filter((ip): ip is string => !!ip);
  }

  async dispatchContext(storageId: number, em?: EntityManager): Promise<DispatchContext> {
    const manager = em ?? this.dataSource.manager;
    const execution = await manager
      .getRepository(Execution)
      .createQueryBuilder('execution')
      .innerJoinAndSelect('execution.tenant', 'tenant')
      .innerJoinAndSelect('execution.creator', 'creator')
      .leftJoinAndSelect('execution.deployment', 'deployment')
      .leftJoinAndSelect('deployment.creator', 'deploymentCreator')
      .where('execution.storageId = :storageId', { storageId })
      .getOneOrFail();
    const deployment = execution.deployment;
    return {
      execution,
      creatorName: execution.creator?.username ?? '',
      tenantName: execution.tenant?.name ?? '',
      deployment: deployment
        ? {
            id: deployment.id,
            displayName: deployment.displayName,
            creatorName: deployment.creator?.username ?? '',
            resourceTags: deployment.resourceTags,
            runtimeOnlyEvaluation: deployment.runtimeOnlyEvaluation,
            workflows: deployment.workflows,
          }
        : null,
      restHost: await this.restHosts(manager),
    };
  }

  /**
   * Recomputes a deployment's statuses after its execution changed (rest-api.md §2.3): the
   * execution becomes its latest; installation is active iff every instance is started; the
   * deployment is in progress while that execution runs, needs attention after a failure or
   * while not installed, and is good otherwise (then the worst of its sub-statuses).
   */
  async refreshDeploymentStatuses(em: EntityManager, execution: Execution): Promise<void> {
    if (execution.deploymentFk === null) return;
    const [{ not_started }] = await em.query(
      `SELECT count(*)::int AS not_started FROM node_instances ni
         JOIN nodes n ON n._storage_id = ni._node_fk
        WHERE n._deployment_fk = $1 AND ni.state <> 'started'`,
      [execution.deploymentFk],
    );
    const installation = not_started ? InstallationStatus.Inactive : InstallationStatus.Active;
    const deployment = await em
      .getRepository(Deployment)
      .findOneByOrFail({ storageId: execution.deploymentFk });
    const summary = summarizeExecutionStatus(execution.status);
    let status: DeploymentStatus =
      summary === ExecutionSummary.InProgress
        ? DeploymentStatus.InProgress
        : summary === ExecutionSummary.Failed || installation === InstallationStatus.Inactive
          ? DeploymentStatus.RequiresAttention
          : DeploymentStatus.Good;
    const rank = [
      DeploymentStatus.Good,
      DeploymentStatus.InProgress,
      DeploymentStatus.RequiresAttention,
    ];
    for (const sub of [deployment.subServicesStatus, deployment.subEnvironmentsStatus]) {
      if (sub && rank.indexOf(sub) > rank.indexOf(status)) status = sub;
    }
    // The latest-execution pointer is unique: release it from any other deployment first.
    await em.query(
      `UPDATE deployments SET _latest_execution_fk = NULL
        WHERE _latest_execution_fk = $1 AND _storage_id <> $2`,
      [execution.storageId, execution.deploymentFk],
    );
    await em.getRepository(Deployment).update(
      { storageId: execution.deploymentFk },
      {
        installationStatus: installation,
        deploymentStatus: status,
        latestExecutionFk: execution.storageId,
      },
    );
  }

  /** Marks the deployment in progress with this execution as its latest (on `started`). */
  async markDeploymentInProgress(em: EntityManager, execution: Execution): Promise<void> {
    if (execution.deploymentFk === null) return;
    await em
      .getRepository(Deployment)
      .update(
        { storageId: execution.deploymentFk },
        { deploymentStatus: DeploymentStatus.InProgress, latestExecutionFk: execution.storageId },
      );
  }

  /** Deletes a deployment (its nodes, instances, executions… go by cascade). */
  async deleteDeployment(em: EntityManager, deploymentFk: number): Promise<void> {
    await em.query(
      'UPDATE deployments SET _latest_execution_fk = NULL, _create_execution_fk = NULL WHERE _storage_id = $1',
      [deploymentFk],
    );
    await em.getRepository(Deployment).delete({ storageId: deploymentFk });
  }

  /** The oldest queued system execution of any tenant, locked. */
  async oldestQueuedSystem(em: EntityManager): Promise<number | undefined> {
    const rows: { _storage_id: number }[] = await em.query(
      `SELECT _storage_id FROM executions WHERE status = 'queued' AND is_system_workflow
        ORDER BY created_at, _storage_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0]?._storage_id;
  }

  /**
   * Up to `limit` oldest queued non-system executions that may run now: their deployment has no
   * active execution and no queued create_deployment_environment (which itself goes first).
   */
  async runnableQueued(
    em: EntityManager,
    limit: number,
  ): Promise<{ storageId: number; deploymentFk: number | null }[]> {
    const rows: { _storage_id: number; _deployment_fk: number | null }[] = await em.query(
      `SELECT e._storage_id, e._deployment_fk FROM executions e
        WHERE e.status = 'queued' AND NOT e.is_system_workflow
          AND (e.workflow_id = $1 OR NOT EXISTS (
                SELECT 1 FROM executions o
                 WHERE o._deployment_fk = e._deployment_fk
                   AND (o.status = ANY($2) OR (o.status = 'queued' AND o.workflow_id = $1))))
        ORDER BY e._storage_id LIMIT $3
        FOR UPDATE OF e SKIP LOCKED`,
      [CREATE_DEP_ENV, ACTIVE, limit],
    );
    return rows.map((r) => ({ storageId: r._storage_id, deploymentFk: r._deployment_fk }));
  }

  async countActive(em: EntityManager, deploymentFk?: number | null): Promise<number> {
    const [{ count }] =
      deploymentFk === undefined
        ? await em.query(`SELECT count(*)::int AS count FROM executions WHERE status = ANY($1)`, [
            ACTIVE,
          ])
        : await em.query(
            `SELECT count(*)::int AS count FROM executions
              WHERE status = ANY($1) AND _deployment_fk IS NOT DISTINCT FROM $2`,
            [ACTIVE, deploymentFk],
          );
    return count;
  }

  /** Resume: failed/rescheduled (with force also unfinished) operations back to pending. */
  async resetOperations(em: EntityManager, executionFk: number, force: boolean): Promise<void> {
    const from = [OperationState.Rescheduled, OperationState.Failed];
    if (force) from.push(OperationState.Started, OperationState.Sent, OperationState.Sending);
    await em.query(
      `WITH ops AS (
         SELECT o._storage_id, o.id, o.parameters, o._tasks_graph_fk FROM operations o
           JOIN tasks_graphs g ON g._storage_id = o._tasks_graph_fk
          WHERE g._execution_fk = $1)
       UPDATE operations u
          SET state = 'pending',
              parameters = jsonb_set(coalesce(u.parameters, '{}'::jsonb), '{current_retries}', '0')
         FROM ops
        WHERE u._storage_id = ops._storage_id AND u.state = ANY($2)
          AND NOT EXISTS (SELECT 1 FROM ops r
                           WHERE r._tasks_graph_fk = ops._tasks_graph_fk
                             AND r.parameters->>'retried_task' = ops.id)`,
      [executionFk, from],
    );
  }

  /** Ended executions matching the purge filters, oldest first, with their deployment ids. */
  async endedForPurge(query: ListQuery, scope: TenantScope): Promise<ExecutionRow[]> {
    let qb = this.query();
    if (!(query.allTenants && scope.isAdmin)) qb = whereVisible(qb, 'execution', scope);
    const filters = { ...query.filters };
    if (!filters.status) qb.andWhere('execution.status IN (:...ended)', { ended: ENDED });
    applyListQuery(qb, { ...query, filters, getAllResults: true, sort: [] }, COLUMNS);
    qb.orderBy('execution.createdAt', 'ASC').addOrderBy('execution.storageId', 'ASC');
    return (await qb.getMany()).map((e) => ExecutionsRepository.row(e));
  }

  async deleteMany(storageIds: number[]): Promise<void> {
    if (!storageIds.length) return;
    await this.dataSource.query(
      `UPDATE deployments SET _latest_execution_fk = NULL WHERE _latest_execution_fk = ANY($1)`,
      [storageIds],
    );
    await this.dataSource.query(
      `UPDATE deployments SET _create_execution_fk = NULL WHERE _create_execution_fk = ANY($1)`,
      [storageIds],
    );
    await this.dataSource.query(`DELETE FROM executions WHERE _storage_id = ANY($1)`, [storageIds]);
  }
}
