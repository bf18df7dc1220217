import { Injectable } from '@nestjs/common';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import { copyTextRows } from '@nestify/model';
import { OutputItem, OwnerRef } from './event-message';
import { ownerKey, StoredOwner } from './event-owners';

/** An item with the stored owner whose tenant, creator and visibility its row copies. */
export interface StoredRow {
  item: OutputItem;
  owner: StoredOwner;
}

export type WriteMethod = 'insert' | 'copy';

/** What one committed batch added, per table and per owner (for NOTIFY). */
export interface WriteResult {
  inserted: { events: number; logs: number };
  /** One entry per owner that got new rows: the largest new storage id in each table. */
  touched: { owner: StoredOwner; events: number | null; logs: number | null }[];
}

/** The channel the REST service listens on to stream new events (rest-api.md §2.6). */
export const EVENTS_NOTIFY_CHANNEL = 'nestify_events';

type Table = 'events' | 'logs';

/** Stored columns in the order rows are built, with their SQL types. */
const SHARED_COLUMNS: [string, string][] = [
  ['timestamp', 'timestamptz'],
  ['message', 'text'],
  ['message_code', 'text'],
  ['operation', 'text'],
  ['node_id', 'text'],
  ['source_id', 'text'],
  ['target_id', 'text'],
  ['manager_name', 'text'],
  ['agent_name', 'text'],
  ['message_id', 'uuid'],
  ['_execution_fk', 'integer'],
  ['_execution_group_fk', 'integer'],
  ['_tenant_id', 'integer'],
  ['_creator_id', 'integer'],
  ['visibility', 'varchar(16)'],
];
const OWN_COLUMNS: Record<Table, [string, string][]> = {
  events: [
    ['event_type', 'text'],
    ['error_causes', 'jsonb'],
  ],
  logs: [
    ['logger', 'text'],
    ['level', 'text'],
  ],
};
const columnsOf = (table: Table) => [...SHARED_COLUMNS, ...OWN_COLUMNS[table]];

function rowValues(table: Table, { item, owner }: StoredRow): unknown[] {
  const execution = owner.kind === 'execution';
  const own =
    table === 'events'
      ? [item.eventType, item.errorCauses === null ? null : JSON.stringify(item.errorCauses)]
      : [item.logger, item.level];
  return [
    item.timestamp,
    item.message,
    item.messageCode,
    item.operation,
    item.nodeId,
    item.sourceId,
    item.targetId,
    item.managerName,
    item.agentName,
    item.messageId,
    execution ? owner.storageId : null,
    execution ? null : owner.storageId,
    owner.tenantId,
    owner.creatorId,
    owner.visibility,
    ...own,
  ];
}

interface InsertedGroup {
  _execution_fk: number | null;
  _execution_group_fk: number | null;
  max_id: number;
  count: number;
}

/**
 * The bridge's queries: looking up the owners messages name, and writing a batch of events and
 * logs in one transaction — idempotent by `message_id` (ON CONFLICT DO NOTHING), with
 * `reported_timestamp` set at insert and one NOTIFY per owner that got new rows.
 */
@Injectable()
export class EventsStoreRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stored executions / execution groups with these ids, in any tenant, keyed by `ownerKey`. */
  async findOwners(refs: OwnerRef[]): Promise<Map<string, StoredOwner[]>> {
    const found = new Map<string, StoredOwner[]>();
    for (const kind of ['execution', 'execution_group'] as const) {
      const ids = [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
      if (ids.length === 0) continue;
      const table = kind === 'execution' ? 'executions' : 'execution_groups';
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT o.id, o._storage_id, o._tenant_id, t.name AS tenant_name, o._creator_id,
                o.visibility
           FROM ${table} o JOIN tenants t ON t.id = o._tenant_id
          WHERE o.id = ANY($1)`,
        [ids],
      );
      for (const row of rows) {
        const owner: StoredOwner = {
          kind,
          id: row.id as string,
          storageId: row._storage_id as number,
          tenantId: row._tenant_id as number,
          tenantName: row.tenant_name as string,
          creatorId: row._creator_id as number,
          visibility: row.visibility as string,
        };
        const key = ownerKey(owner);
        found.set(key, [...(found.get(key) ?? []), owner]);
      }
    }
    return found;
  }

  /** Writes the rows (in their order) in one transaction; duplicates of stored rows are skipped. */
  async writeBatch(rows: StoredRow[], method: WriteMethod): Promise<WriteResult> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await runner.startTransaction();
      const result: WriteResult = { inserted: { events: 0, logs: 0 }, touched: [] };
      const groups: Record<Table, InsertedGroup[]> = { events: [], logs: [] };
      for (const table of ['events', 'logs'] as const) {
        const tableRows = rows.filter((row) => row.item.table === table);
        if (tableRows.length === 0) continue;
        groups[table] =
          method === 'copy'
            ? await this.copyRows(runner, client, table, tableRows)
            : await this.insertRows(runner, table, tableRows);
        result.inserted[table] = groups[table].reduce((sum, g) => sum + Number(g.count), 0);
      }
      result.touched = touchedOwners(rows, groups);
      await this.notify(runner, result.touched);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** One INSERT … SELECT from the rows as one JSON parameter. */
  private insertRows(runner: QueryRunner, table: Table, rows: StoredRow[]) {
    const columns = columnsOf(table);
    const names = columns.map(([name]) => name);
    const objects = rows.map((row) => {
      const values = rowValues(table, row);
      const object: Record<string, unknown> = {};
      names.forEach((name, i) => (object[name] = values[i]));
      // Inside the JSON parameter, causes stay JSON (as text they would be stored as a string).
      if (table === 'events') object.error_causes = row.item.errorCauses;
      return object;
    });
    const definition = columns.map(([name, type]) => `"${name}" ${type}`).join(', ');
    const select = names.map((name) => `r."${name}"`).join(', ');
    return runner.query(
      insertedGroupsSql(
        table,
        names,
        `SELECT ${select}, now() FROM json_to_recordset($1::json) AS r(${definition})`,
      ),
      [JSON.stringify(objects)],
    ) as Promise<InsertedGroup[]>;
  }

  /** COPY into a per-connection staging table, then one INSERT … SELECT from it. */
  private async copyRows(runner: QueryRunner, client: PoolClient, table: Table, rows: StoredRow[]) {
    const columns = columnsOf(table);
    const names = columns.map(([name]) => name);
    const staging = `nestify_staging_${table}`;
    const definition = columns.map(([name, type]) => `"${name}" ${type}`).join(', ');
    await runner.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${staging} (seq integer, ${definition}) ON COMMIT DELETE ROWS`,
    );
    const text = copyTextRows(rows.map((row, seq) => [seq, ...rowValues(table, row)]));
    const quoted = names.map((name) => `"${name}"`).join(', ');
    await pipeline(
      Readable.from([text]),
      client.query(copyFrom(`COPY ${staging} (seq, ${quoted}) FROM STDIN`)),
    );
    return (await runner.query(
      insertedGroupsSql(table, names, `SELECT ${quoted}, now() FROM ${staging} ORDER BY seq`),
    )) as InsertedGroup[];
  }

  private async notify(runner: QueryRunner, touched: WriteResult['touched']): Promise<void> {
    if (touched.length === 0) return;
    const payloads = touched.map(({ owner, events, logs }) =>
      JSON.stringify({
        [owner.kind === 'execution' ? 'execution_id' : 'execution_group_id']: owner.id,
        tenant_id: owner.tenantId,
        events,
        logs,
      }),
    );
    await runner.query(`SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p`, [
      EVENTS_NOTIFY_CHANNEL,
      payloads,
    ]);
  }
}

/** Inserts what `select` yields, skipping known message ids; answers new rows per owner. */
function insertedGroupsSql(table: Table, names: string[], select: string): string {
  const quoted = names.map((name) => `"${name}"`).join(', ');
  return `WITH inserted AS (
      INSERT INTO ${table} (${quoted}, reported_timestamp) ${select}
      ON CONFLICT (message_id) DO NOTHING
      RETURNING _storage_id, _execution_fk, _execution_group_fk)
    SELECT _execution_fk, _execution_group_fk, max(_storage_id) AS max_id, count(*)::int AS count
      FROM inserted GROUP BY _execution_fk, _execution_group_fk`;
}

function touchedOwners(rows: StoredRow[], groups: Record<Table, InsertedGroup[]>) {
  const owners = new Map<string, StoredOwner>();
  for (const { owner } of rows) owners.set(`${owner.kind}:${owner.storageId}`, owner);
  const touched = new Map<string, WriteResult['touched'][number]>();
  for (const table of ['events', 'logs'] as const) {
    for (const group of groups[table]) {
      const key =
        group._execution_fk !== null
          ? `execution:${group._execution_fk}`
          : `execution_group:${group._execution_group_fk}`;
      const owner = owners.get(key);
      if (!owner) continue;
      const entry = touched.get(key) ?? { owner, events: null, logs: null };
      entry[table] = Number(group.max_id);
      touched.set(key, entry);
    }
  }
  return [...touched.values()];
}
