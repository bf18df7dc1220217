import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConflictError, Visibility } from '@nestify/common';
import {
  Deployment,
  Execution,
  Node,
  NodeInstance,
  NodeInstanceChanges,
  Tenant,
  updateNodeInstanceIfVersion,
  User,
} from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { fetchJsonPage, JsonPage } from '../common/list/json-page';
import { applyListQuery, ColumnMap } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';
import { NodeInstanceResponseDto } from './dto/node-instance-response.dto';

/** A node instance as its response shows it, plus its storage key. */
export type NodeInstanceRow = NodeInstanceResponseDto & { _storage_id: number };

/** What the response shows, as SQL over `ni` joined to its node, deployment, tenant and creator. */
const SELECTS: Record<keyof NodeInstanceResponseDto, string> = {
  id: 'ni.id',
  node_id: 'n.id',
  deployment_id: 'd.id',
  host_id: 'ni.hostId',
  index: 'ni.index',
  state: 'ni.state',
  version: 'ni.version',
  runtime_properties: 'ni.runtimeProperties',
  system_properties: 'ni.systemProperties',
  relationships: 'ni.relationships',
  scaling_groups: 'ni.scalingGroups',
  has_configuration_drift: 'ni.hasConfigurationDrift',
  is_status_check_ok: 'ni.isStatusCheckOk',
  visibility: 'ni.visibility',
  tenant_name: 't.name',
  created_by: 'u.username',
};

/** Filters and sort keys; JSON fields compare as their text. */
const COLUMNS: ColumnMap = {
  ...Object.fromEntries(
    Object.entries(SELECTS).map(([field, sql]) => [field, { expression: sql }]),
  ),
  index: { expression: 'ni.index', kind: 'number' },
  version: { expression: 'ni.version', kind: 'number' },
  runtime_properties: { expression: 'CAST(ni.runtimeProperties AS text)' },
  system_properties: { expression: 'CAST(ni.systemProperties AS text)' },
  relationships: { expression: 'CAST(ni.relationships AS text)' },
  scaling_groups: { expression: 'CAST(ni.scalingGroups AS text)' },
  has_configuration_drift: { expression: 'ni.hasConfigurationDrift', kind: 'boolean' },
  is_status_check_ok: { expression: 'ni.isStatusCheckOk', kind: 'boolean' },
};

/** Rows per INSERT: 1,000 instances go in one statement, far below PostgreSQL's 65,535 parameters. */
const INSERT_BATCH = 2000;

/** A node of a deployment, as new instances need it. */
export interface ParentNode {
  id: string;
  storageId: number;
  visibility: Visibility;
}

/** Every query on node instances, scoped to what the caller may see. */
@Injectable()
export class NodeInstancesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Instances the caller may see, joined to their node, deployment, tenant and creator. */
  private joined(scope: TenantScope): SelectQueryBuilder<NodeInstance> {
    const qb = this.dataSource
      .createQueryBuilder(NodeInstance, 'ni')
      .innerJoin(Node, 'n', 'n.storageId = ni.nodeFk')
      .innerJoin(Deployment, 'd', 'd.storageId = n.deploymentFk')
      .innerJoin(Tenant, 't', 't.id = ni.tenantId')
      .innerJoin(User, 'u', 'u.id = ni.creatorId');
    return whereVisible(qb, 'ni', scope);
  }

  /** One query: every response field of each instance, plus its storage key. */
  private visible(scope: TenantScope): SelectQueryBuilder<NodeInstance> {
    const qb = this.joined(scope).select('ni.storageId', '_storage_id');
    for (const [field, sql] of Object.entries(SELECTS)) qb.addSelect(sql, field);
    return qb;
  }

  /**
   * One page as JSON texts built by PostgreSQL (only the `_include`d fields), and the total: a
   * 1,000-instance page is then neither parsed into objects nor stringified again here.
   */
  async listJson(query: ListQuery, scope: TenantScope): Promise<JsonPage> {
    const qb = applyListQuery(this.joined(scope), query, COLUMNS, 'id');
    // Insertion order without a sort, and as the tie-breaker that keeps pages stable.
    qb.addOrderBy('ni.storageId', 'ASC');
    const fields = query.include ?? Object.keys(SELECTS);
    return fetchJsonPage(qb, SELECTS, fields, query);
  }

  /** The caller's own instance with that id, else a global one of another tenant. */
  async findVisible(id: string, scope: TenantScope): Promise<NodeInstanceRow | undefined> {
    return this.visible(scope)
      .andWhere('ni.id = :id', { id })
      .orderBy('CASE WHEN ni.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .limit(1)
      .getRawOne<NodeInstanceRow>();
  }

  /** Applies changes only if the row still has `expectedVersion`; the new version, or null. */
  updateIfVersion(
    storageId: number,
    expectedVersion: number,
    changes: NodeInstanceChanges,
  ): Promise<number | null> {
    return updateNodeInstanceIfVersion(
      this.dataSource.manager,
      storageId,
      expectedVersion,
      changes,
    );
  }

  /** The workflow of an execution in the tenant (the caller of an execution-token request). */
  async workflowOfExecution(executionId: string, scope: TenantScope): Promise<string | undefined> {
    const execution = await this.dataSource
      .getRepository(Execution)
      .createQueryBuilder('x')
      .select(['x.workflowId'])
      .where('x.id = :executionId AND x.tenantId = :tenantId', {
        executionId,
        tenantId: scope.tenantId,
      })
      .getOne();
    return execution?.workflowId;
  }

  /** A deployment the caller may see (own tenant first): its key and tenant. */
  async findDeployment(
    id: string,
    scope: TenantScope,
  ): Promise<{ storageId: number; tenantId: number } | undefined> {
    const qb = this.dataSource
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .select(['d.storageId', 'd.tenantId'])
      .where('d.id = :id', { id });
    const deployment = await whereVisible(qb, 'd', scope)
      .orderBy('CASE WHEN d.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return deployment ?? undefined;
  }

  async nodesOfDeployment(deploymentFk: number): Promise<ParentNode[]> {
    return this.dataSource
      .getRepository(Node)
      .createQueryBuilder('n')
      .select(['n.id', 'n.storageId', 'n.visibility'])
      .where('n.deploymentFk = :deploymentFk', { deploymentFk })
      .getMany();
  }

  /** node id → the highest instance index it has (0 when its instances have none). */
  async highestIndexes(deploymentFk: number): Promise<Map<string, number>> {
    const rows: { node_id: string; highest: number }[] = await this.dataSource.query(
      `SELECT n.id AS node_id, COALESCE(max(ni.index), 0)::int AS highest
         FROM nodes n JOIN node_instances ni ON ni._node_fk = n._storage_id
        WHERE n._deployment_fk = $1
        GROUP BY n.id`,
      [deploymentFk],
    );
    return new Map(rows.map((row) => [row.node_id, row.highest]));
  }

  /** Which of `ids` an instance of the tenant (or a global one) already has. */
  async takenIds(ids: string[], tenantId: number): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT id FROM node_instances
        WHERE id = ANY($1) AND (_tenant_id = $2 OR visibility = 'global')`,
      [ids, tenantId],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Inserts all rows in one transaction, one multi-row INSERT per batch (one for ≤ 2,000). */
  async insertMany(rows: Partial<NodeInstance>[]): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        for (let start = 0; start < rows.length; start += INSERT_BATCH) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(NodeInstance)
            .values(
              rows.slice(start, start + INSERT_BATCH) as QueryDeepPartialEntity<NodeInstance>[],
            )
            .updateEntity(false)
            .execute();
        }
      });
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === '23505'
      )
        throw new ConflictError('Node instances with these ids already exist in the tenant');
      throw error;
    }
  }
}
