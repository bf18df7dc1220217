import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Visibility } from '@nestify/common';
import { AgentState } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { containsPattern } from '../common/list/list-query-builder';
import { SqlParams, visibleSql } from '../common/tenancy/tenant-sql';
import { TenantScope } from '../common/tenancy/tenant-scope';

/** An agent row with the names its response shows. */
export interface AgentRow {
  storage_id: number;
  id: string;
  name: string;
  ip: string | null;
  install_method: string;
  system: string | null;
  version: string;
  state: AgentState;
  rabbitmq_username: string | null;
  rabbitmq_password: string | null;
  rabbitmq_exchange: string;
  created_at: Date;
  updated_at: Date | null;
  visibility: Visibility;
  tenant_id: number;
  tenant_name: string;
  created_by: string;
  node_instance_id: string;
  node: string;
  deployment: string;
}

/** Response fields and filter names → SQL. */
const COLUMNS: Record<string, string> = {
  id: 'a.id',
  name: 'a.name',
  host_id: 'ni.id',
  node_instance_id: 'ni.id',
  node_instance_ids: 'ni.id',
  ip: 'a.ip',
  install_method: 'a.install_method',
  install_methods: 'a.install_method',
  system: 'a.system',
  version: 'a.version',
  node: 'n.id',
  node_id: 'n.id',
  node_ids: 'n.id',
  deployment: 'd.id',
  deployment_id: 'd.id',
  state: 'a.state',
  rabbitmq_exchange: 'a.rabbitmq_exchange',
  rabbitmq_username: 'a.rabbitmq_username',
  rabbitmq_password: 'a.rabbitmq_password',
  created_at: 'a.created_at',
  updated_at: 'a.updated_at',
  visibility: 'a.visibility',
  tenant_name: 'tn.name',
  created_by: 'cr.username',
};

const SELECT = `SELECT a._storage_id AS storage_id, a.id, a.name, a.ip, a.install_method, a.system,
    a.version, a.state, a.rabbitmq_username, a.rabbitmq_password, a.rabbitmq_exchange,
    a.created_at, a.updated_at, a.visibility, a._tenant_id AS tenant_id, tn.name AS tenant_name,
    cr.username AS created_by, ni.id AS node_instance_id, n.id AS node, d.id AS deployment`;
const FROM = `FROM agents a
  JOIN tenants tn ON tn.id = a._tenant_id
  JOIN users cr ON cr.id = a._creator_id
  JOIN node_instances ni ON ni._storage_id = a._node_instance_fk
  JOIN nodes n ON n._storage_id = ni._node_fk
  JOIN deployments d ON d._storage_id = n._deployment_fk`;

function filterClauses(query: ListQuery, params: SqlParams): string[] {
  const clauses: string[] = [];
  for (const [field, values] of Object.entries(query.filters)) {
    const column = COLUMNS[field];
    if (!column || !values.length) continue;
    const present = values.filter((v) => !['none', 'null'].includes(v.toLowerCase()));
    const alternatives = present.length ? [`${column} = ANY(${params.add(present)})`] : [];
    if (present.length < values.length) alternatives.push(`${column} IS NULL`);
    clauses.push(`(${alternatives.join(' OR ')})`);
  }
  if (query.search !== undefined) {
    const pattern = containsPattern(query.search);
    clauses.push(`a.name ILIKE ${params.add(pattern)}`);
  }
  return clauses;
}

/** Every query on agents, scoped to what the caller may see. */
@Injectable()
export class AgentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListQuery, scope: TenantScope): Promise<{ items: AgentRow[]; total: number }> {
    const params = new SqlParams();
    const where = [
      visibleSql('a', scope, params, query.allTenants),
      ...filterClauses(query, params),
    ];
    const from = `${FROM} WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total ${from}`,
      params.values,
    );
    if (total === 0 || (query.size === 0 && !query.getAllResults)) return { items: [], total };
    const order = query.sort.map(({ field, direction }) => `${COLUMNS[field]} ${direction}`);
    order.push('a.created_at ASC', 'a._storage_id ASC');
    const paging = query.getAllResults
      ? ''
      : `LIMIT ${params.add(query.size)} OFFSET ${params.add(query.offset)}`;
    const items: AgentRow[] = await this.dataSource.query(
      `${SELECT} ${from} ORDER BY ${order.join(', ')} ${paging}`,
      params.values,
    );
    return { items, total };
  }

  /** The agent of that name in the caller's tenant, else a global one of another tenant. */
  async findVisible(name: string, scope: TenantScope): Promise<AgentRow | undefined> {
    const params = new SqlParams();
    const where = visibleSql('a', scope, params);
    const rows: AgentRow[] = await this.dataSource.query(
      `${SELECT} ${FROM} WHERE ${where} AND a.id = ${params.add(name)}
       ORDER BY CASE WHEN a._tenant_id = ${params.add(scope.tenantId)} THEN 0 ELSE 1 END
       LIMIT 1`,
      params.values,
    );
    return rows[0];
  }

  /** The `_storage_id` of a node instance visible to the caller. */
  async nodeInstanceStorageId(id: string, scope: TenantScope): Promise<number | undefined> {
    const params = new SqlParams();
    const where = visibleSql('ni', scope, params);
    const rows: { storage_id: number }[] = await this.dataSource.query(
      `SELECT ni._storage_id AS storage_id FROM node_instances ni
       WHERE ${where} AND ni.id = ${params.add(id)}
       ORDER BY CASE WHEN ni._tenant_id = ${params.add(scope.tenantId)} THEN 0 ELSE 1 END LIMIT 1`,
      params.values,
    );
    return rows[0]?.storage_id;
  }

  /** Inserts an agent unless one of that name exists in the tenant; true when inserted. */
  async insert(values: {
    name: string;
    nodeInstanceFk: number;
    ip: string | null;
    installMethod: string;
    system: string | null;
    version: string;
    state: string;
    rabbitmqUsername: string | null;
    rabbitmqPassword: string | null;
    rabbitmqExchange: string;
    visibility: Visibility;
    tenantId: number;
    creatorId: number;
  }): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO agents (id, name, _node_instance_fk, ip, install_method, system, version, state,
         rabbitmq_username, rabbitmq_password, rabbitmq_exchange, visibility, _tenant_id,
         _creator_id, created_at, updated_at)
       VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), now())
       ON CONFLICT (id, _tenant_id) DO NOTHING RETURNING _storage_id`,
      [
        values.name,
        values.nodeInstanceFk,
        values.ip,
        values.installMethod,
        values.system,
        values.version,
        values.state,
        values.rabbitmqUsername,
        values.rabbitmqPassword,
        values.rabbitmqExchange,
        values.visibility,
        values.tenantId,
        values.creatorId,
      ],
    );
    return rows.length > 0;
  }

  async update(
    storageId: number,
    changes: { state?: string; system?: string; version?: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE agents SET state = COALESCE($2, state), system = COALESCE($3, system),
         version = COALESCE($4, version), updated_at = now()
       WHERE _storage_id = $1`,
      [storageId, changes.state ?? null, changes.system ?? null, changes.version ?? null],
    );
  }
}
