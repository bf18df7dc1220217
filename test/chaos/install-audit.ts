import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

export const LIFECYCLE = 'cloudify.interfaces.lifecycle';
export const INSTALL_OPS = ['create', 'configure', 'start'];

/** `<instance id> <operation>`, e.g. `host_x1y2z3 cloudify.interfaces.lifecycle.create`. */
export type OperationKey = string;

interface CloudifyContext {
  node_id?: string;
  operation?: { name?: string };
}

/**
 * What one execution left in the database and in the operation log, read straight from its
 * tables (the REST list endpoints page, and the audit must see every row).
 */
export class InstallAudit {
  constructor(
    private readonly db: Pool,
    private readonly executionId: string,
  ) {}

  async execution(): Promise<{ storageId: number; status: string; error: string }> {
    const rows = await this.db.query(
      'SELECT _storage_id, status, error FROM executions WHERE id = $1',
      [this.executionId],
    );
    if (rows.rowCount !== 1) throw new Error(`no execution ${this.executionId}`);
    const row = rows.rows[0];
    return { storageId: row._storage_id, status: row.status, error: row.error };
  }

  /** Lifecycle operations of the execution stored as succeeded. */
  async succeededOperations(): Promise<Set<OperationKey>> {
    const { storageId } = await this.execution();
    const rows = await this.db.query(
      `SELECT o.parameters->'task_kwargs'->'kwargs'->'__cloudify_context' AS ctx
         FROM operations o JOIN tasks_graphs g ON g._storage_id = o._tasks_graph_fk
        WHERE g._execution_fk = $1 AND o.state = 'succeeded'`,
      [storageId],
    );
    const keys = new Set<OperationKey>();
    for (const { ctx } of rows.rows as Array<{ ctx: CloudifyContext | null }>) {
      const name = ctx?.operation?.name;
      if (ctx?.node_id && name?.startsWith(`${LIFECYCLE}.`)) keys.add(`${ctx.node_id} ${name}`);
    }
    return keys;
  }

  /** How many task_succeeded events of the execution are stored (cheap: one count). */
  async succeededEventCount(): Promise<number> {
    const { storageId } = await this.execution();
    const rows = await this.db.query(
      `SELECT count(*)::int AS n FROM events
        WHERE _execution_fk = $1 AND event_type = 'task_succeeded'`,
      [storageId],
    );
    return rows.rows[0].n;
  }

  /** The mgmtworker pid holding the execution's lease (the owner is `<host>-<pid>-<random>`). */
  async leaseOwnerPid(): Promise<number | undefined> {
    const { storageId } = await this.execution();
    const rows = await this.db.query(
      'SELECT owner FROM execution_leases WHERE _execution_fk = $1',
      [storageId],
    );
    const match = /-(\d+)-[0-9a-f]+$/.exec(rows.rows[0]?.owner ?? '');
    return match ? Number(match[1]) : undefined;
  }

  async instanceStates(deploymentId: string): Promise<Map<string, string>> {
    const rows = await this.db.query(
      `SELECT i.id, i.state FROM node_instances i
         JOIN nodes n ON n._storage_id = i._node_fk
         JOIN deployments d ON d._storage_id = n._deployment_fk
        WHERE d.id = $1`,
      [deploymentId],
    );
    return new Map(rows.rows.map((row: { id: string; state: string }) => [row.id, row.state]));
  }

  /** The execution's stored events: how many of each kind per operation, and their ids. */
  async events(): Promise<StoredEvents> {
    const { storageId } = await this.execution();
    const rows = await this.db.query(
      `SELECT event_type, node_id, operation, message_id, message, reported_timestamp
         FROM events WHERE _execution_fk = $1 ORDER BY reported_timestamp`,
      [storageId],
    );
    const succeeded = new Map<OperationKey, number>();
    const byType = new Map<string, number>();
    const messageIds = new Set<string>();
    const workflow: string[] = [];
    let withoutId = 0;
    for (const row of rows.rows as Array<Record<string, string | null>>) {
      const type = row.event_type ?? '';
      byType.set(type, (byType.get(type) ?? 0) + 1);
      if (row.message_id) messageIds.add(row.message_id);
      else withoutId++;
      if (type.startsWith('workflow_')) {
        const at = new Date(row.reported_timestamp as unknown as Date).toISOString();
        workflow.push(`${type} ${at} ${row.message_id}: ${row.message}`);
      }
      if (type === 'task_succeeded' && row.node_id && row.operation?.startsWith(`${LIFECYCLE}.`)) {
        const key = `${row.node_id} ${row.operation}`;
        succeeded.set(key, (succeeded.get(key) ?? 0) + 1);
      }
    }
    return {
      total: rows.rowCount ?? 0,
      byType,
      succeeded,
      workflow,
      distinctIds: messageIds.size,
      withoutId,
    };
  }
}

export interface StoredEvents {
  total: number;
  byType: Map<string, number>;
  /** Workflow-level events (`workflow_started` …), as `<type> <time> <message id>: <text>`. */
  workflow: string[];
  /** task_succeeded events per lifecycle operation. */
  succeeded: Map<OperationKey, number>;
  distinctIds: number;
  withoutId: number;
}

/** How many times each operation began, from the log the test plugin appends to. */
export function operationRuns(logFile: string): Map<OperationKey, number> {
  const runs = new Map<OperationKey, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line) continue;
    const [instance, operation] = line.split(' ');
    const key = `${instance} ${operation}`;
    runs.set(key, (runs.get(key) ?? 0) + 1);
  }
  return runs;
}
