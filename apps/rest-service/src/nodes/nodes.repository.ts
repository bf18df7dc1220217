import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConflictError, Visibility } from '@nestify/common';
import { Blueprint, Deployment, Node, Tenant, User } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';
import { NodeResponseDto } from './dto/node-response.dto';

/**
 * The product of `planned_instances` over the deployment's scaling groups whose members name the
 * node or its host (1 when none does). PostgreSQL has no product aggregate: exp(sum(ln)) with
 * zero handled apart, rounded back to an integer.
 */
const SCALE_FACTOR = `COALESCE((
  SELECT CASE WHEN bool_or(s.p <= 0) THEN 0 ELSE round(exp(sum(ln(s.p))))::int END
    FROM (
      SELECT (g.value #>> '{properties,planned_instances}')::numeric AS p
        FROM jsonb_each(CASE WHEN jsonb_typeof(d.scalingGroups) = 'object'
                             THEN d.scalingGroups ELSE '{}'::jsonb END) AS g
       WHERE jsonb_typeof(g.value #> '{properties,planned_instances}') = 'number'
         AND jsonb_typeof(g.value -> 'members') = 'array'
         AND (g.value -> 'members' @> to_jsonb(n.id) OR g.value -> 'members' @> to_jsonb(n.hostId))
    ) AS s), 1)`;

/** What the response shows, as SQL over `n` joined to its deployment, blueprint, tenant, creator. */
const SELECTS: Record<keyof NodeResponseDto, string> = {
  id: 'n.id',
  deployment_id: 'd.id',
  blueprint_id: 'b.id',
  deployment_display_name: 'd.displayName',
  type: 'n.type',
  type_hierarchy: 'n.typeHierarchy',
  properties: 'n.properties',
  operations: 'n.operations',
  relationships: 'n.relationships',
  plugins: 'n.plugins',
  plugins_to_install: 'n.pluginsToInstall',
  host_id: 'n.hostId',
  number_of_instances: 'n.numberOfInstances',
  planned_number_of_instances: 'n.plannedNumberOfInstances',
  deploy_number_of_instances: 'n.deployNumberOfInstances',
  min_number_of_instances: 'n.minNumberOfInstances',
  max_number_of_instances: 'n.maxNumberOfInstances',
  actual_number_of_instances:
    '(SELECT count(*)::int FROM node_instances ni WHERE ni._node_fk = n.storageId)',
  actual_planned_number_of_instances: `(n.plannedNumberOfInstances * ${SCALE_FACTOR})`,
  drifted_instances: 'n.driftedInstances',
  unavailable_instances: 'n.unavailableInstances',
  visibility: 'n.visibility',
  tenant_name: 't.name',
  created_by: 'u.username',
};

const NUMBER_FIELDS = [
  'number_of_instances',
  'planned_number_of_instances',
  'deploy_number_of_instances',
  'min_number_of_instances',
  'max_number_of_instances',
  'actual_number_of_instances',
  'actual_planned_number_of_instances',
  'drifted_instances',
  'unavailable_instances',
] as const;
const JSON_FIELDS = [
  'type_hierarchy',
  'properties',
  'operations',
  'relationships',
  'plugins',
  'plugins_to_install',
] as const;

/** Filters and sort keys; JSON fields compare as their text. */
const COLUMNS: ColumnMap = Object.fromEntries(
  Object.entries(SELECTS).map(([field, sql]) => {
    if ((NUMBER_FIELDS as readonly string[]).includes(field))
      return [field, { expression: sql, kind: 'number' }];
    if ((JSON_FIELDS as readonly string[]).includes(field))
      return [field, { expression: `${sql}::text` }];
    return [field, { expression: sql }];
  }),
);

/** Rows per INSERT: a plan's nodes go in one statement, far below PostgreSQL's parameter limit. */
const INSERT_BATCH = 1000;

/** Every query on nodes, scoped to what the caller may see. */
@Injectable()
export class NodesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One query: nodes with their deployment, blueprint, tenant and creator names and counts. */
  private visible(scope: TenantScope): SelectQueryBuilder<Node> {
    const qb = this.dataSource
      .createQueryBuilder(Node, 'n')
      .innerJoin(Deployment, 'd', 'd.storageId = n.deploymentFk')
      .innerJoin(Blueprint, 'b', 'b.storageId = d.blueprintFk')
      .innerJoin(Tenant, 't', 't.id = n.tenantId')
      .innerJoin(User, 'u', 'u.id = n.creatorId')
      .select(SELECTS.id, 'id');
    for (const [field, sql] of Object.entries(SELECTS))
      if (field !== 'id') qb.addSelect(sql, field);
    return whereVisible(qb, 'n', scope);
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<{ items: NodeResponseDto[]; total: number }> {
    const qb = applyListQuery(this.visible(scope), query, COLUMNS, 'id');
    // Insertion order without a sort, and as the tie-breaker that keeps pages stable.
    qb.addOrderBy('n.storageId', 'ASC');
    const total = await qb.getCount();
    if ((query.size === 0 && !query.getAllResults) || total === 0) return { items: [], total };
    return { items: await qb.getRawMany<NodeResponseDto>(), total };
  }

  /** A deployment the caller may see (own tenant first): what its new nodes copy. */
  async findDeployment(
    id: string,
    scope: TenantScope,
  ): Promise<{ storageId: number; tenantId: number; visibility: Visibility } | undefined> {
    const qb = this.dataSource
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .select(['d.storageId', 'd.tenantId', 'd.visibility'])
      .where('d.id = :id', { id });
    const deployment = await whereVisible(qb, 'd', scope)
      .orderBy('CASE WHEN d.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return deployment ?? undefined;
  }

  /** Inserts all rows in one transaction, one multi-row INSERT per batch. */
  async insertMany(rows: Partial<Node>[]): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        for (let start = 0; start < rows.length; start += INSERT_BATCH) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(Node)
            .values(rows.slice(start, start + INSERT_BATCH) as QueryDeepPartialEntity<Node>[])
            .updateEntity(false)
            .execute();
        }
      });
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === '23505'
      )
        throw new ConflictError('Nodes with these ids already exist in the deployment');
      throw error;
    }
  }
}
