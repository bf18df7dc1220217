import type { EntityManager } from 'typeorm';
import { copyRows, supportsCopy, textArrayLiteral } from '../database/copy-rows';

/** An operation of a tasks graph as the workflow engine (or PUT /tasks_graphs) hands it over. */
export interface NewOperation {
  id: string;
  name?: string | null;
  type?: string | null;
  state?: string | null;
  dependencies?: string[] | null;
  parameters?: unknown;
}

/** What every operation row of one graph copies from its execution. */
export interface OperationOwner {
  graphStorageId: number;
  tenantId: number;
  creatorId: number;
  visibility: string;
}

const COLUMNS = [
  '_storage_id',
  'id',
  'name',
  'state',
  'type',
  'dependencies',
  'parameters',
  '_tasks_graph_fk',
  '_tenant_id',
  '_creator_id',
  'visibility',
] as const;

/**
 * Inserts a graph's operations on the transaction of `em`: one COPY on a real PostgreSQL (a
 * 2,000-instance install stores ~40,000 operations, which a jsonb_to_recordset INSERT took 1.6 s
 * to write), one multi-row INSERT on the embedded database. Returns their `_storage_id`s, in
 * the order given: state updates find rows by primary key (right after a COPY the table has no
 * statistics, and a lookup by `id` was planned as a scan of the whole graph).
 */
export async function insertOperations(
  em: EntityManager,
  owner: OperationOwner,
  operations: readonly NewOperation[],
): Promise<number[]> {
  if (!operations.length) return [];
  if (!supportsCopy(em.connection)) {
    const inserted: { id: string; _storage_id: number }[] = await em.query(INSERT_SQL, [
      JSON.stringify(
        operations.map((op) => ({ ...op, name: op.name ?? null, type: op.type ?? null })),
      ),
      owner.graphStorageId,
      owner.tenantId,
      owner.creatorId,
      owner.visibility,
    ]);
    const byId = new Map(inserted.map((row) => [row.id, row._storage_id]));
    return operations.map((op) => byId.get(op.id) as number);
  }
  // COPY returns nothing: the ids are drawn from the sequence first.
  const reserved: { id: number }[] = await em.query(
    `SELECT nextval(pg_get_serial_sequence('operations', '_storage_id'))::int AS id
       FROM generate_series(1, $1)`,
    [operations.length],
  );
  // Built lazily: each row is encoded as the COPY stream asks for it.
  function* rows() {
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i];
      yield [
        reserved[i].id,
        op.id,
        op.name ?? null,
        op.state ?? 'pending',
        op.type ?? null,
        textArrayLiteral(op.dependencies ?? []),
        op.parameters === undefined ? null : JSON.stringify(op.parameters),
        owner.graphStorageId,
        owner.tenantId,
        owner.creatorId,
        owner.visibility,
      ];
    }
  }
  await copyRows(em, 'operations', COLUMNS, rows());
  return reserved.map((row) => row.id);
}

const INSERT_SQL = `
INSERT INTO operations (id, name, state, type, dependencies, parameters,
    _tasks_graph_fk, _tenant_id, _creator_id, visibility)
SELECT o.id, o.name, coalesce(o.state, 'pending'), o.type,
       ARRAY(SELECT jsonb_array_elements_text(coalesce(o.dependencies, '[]'::jsonb))),
       o.parameters, $2, $3, $4, $5
  FROM jsonb_to_recordset($1::jsonb)
    AS o(id text, name text, state text, type text, dependencies jsonb, parameters jsonb)
RETURNING id, _storage_id`;
