import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  NOP_OPERATION_TYPE,
  insertOperations,
  isDatabaseUnavailable,
  isTerminatedOperationState,
} from '@nestify/model';
import type {
  GraphStore,
  OperationStateChange,
  StoredGraph,
  StoredOperation,
  TaskState,
} from '@nestify/workflows';
import { ExecutionRef } from './execution-ref';
import { DATABASE_OUTAGE_MS, WriteBatcher } from './write-batcher';

export interface GraphStoreOptions {
  flushDelayMs?: number;
  flushMaxChanges?: number;
  onError?: (error: unknown) => void;
  /**
   * Awaited before each batch of task states is written: the instance-state writes queued before
   * them (a set-state task succeeds once its write is queued) are stored first.
   */
  beforeWrite?: () => Promise<void>;
}

interface OperationRow {
  _storage_id: number;
  id: string;
  name: string;
  type: string;
  state: TaskState;
  dependencies: string[] | null;
  parameters: StoredOperation['parameters'];
}

const counted = (op: { type: string }) => op.type !== NOP_OPERATION_TYPE;

/**
 * The execution's task graphs in PostgreSQL (`tasks_graphs`, `operations`): graphs are inserted
 * with one COPY; state changes are batched into one `UPDATE … FROM unnest(…)` per
 * flush, in the same transaction as the execution's `finished_operations` counter. The engine is
 * the author of task events and node states (it writes them through its other ports), so nothing
 * here derives events from states, unlike PATCH /operations.
 */
export class TypeOrmGraphStore implements GraphStore {
  /** Operations already counted as finished (first move into a terminal state counts once). */
  private readonly finished = new Set<string>();
  /** Whether each known operation counts towards the execution's totals. */
  private readonly countable = new Map<string, boolean>();
  private readonly batcher: WriteBatcher<OperationStateChange>;
  /** `_storage_id`s of this execution's graphs: state updates touch their operations only. */
  private readonly graphStorageIds = new Set<number>();
  /** Each known operation's row: state updates go by primary key. */
  private readonly rowIds = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly execution: ExecutionRef,
    options: GraphStoreOptions = {},
  ) {
    this.batcher = new WriteBatcher(
      async (changes) => {
        await options.beforeWrite?.();
        await this.writeStates(changes);
      },
      {
        // Long enough that most tasks' sending → sent → succeeded land in one batch (one row
        // update instead of three); nothing waits on it but events and resume.
        delayMs: options.flushDelayMs ?? 25,
        maxItems: options.flushMaxChanges ?? 5000,
        onError: options.onError,
        // A database restart is waited out: the states stay queued, and so do the events
        // that wait for them.
        isTransient: isDatabaseUnavailable,
        transientRetryMs: DATABASE_OUTAGE_MS,
      },
    );
  }

  async find(executionId: string, name: string): Promise<StoredGraph | null> {
    this.assertOwnExecution(executionId);
    const graphs: { _storage_id: number; id: string }[] = await this.dataSource.query(
      `SELECT _storage_id, id FROM tasks_graphs WHERE _execution_fk = $1 AND name = $2
        ORDER BY _storage_id LIMIT 1`,
      [this.execution.storageId, name],
    );
    const graph = graphs[0];
    if (!graph) return null;
    this.graphStorageIds.add(graph._storage_id);
    const rows: OperationRow[] = await this.dataSource.query(
      `SELECT _storage_id, id, name, type, state, dependencies, parameters FROM operations
        WHERE _tasks_graph_fk = $1 ORDER BY _storage_id`,
      [graph._storage_id],
    );
    const operations = rows.map(({ _storage_id, ...row }) =>
      this.remember({ ...row, dependencies: row.dependencies ?? [] }, _storage_id),
    );
    return { id: graph.id, name, execution_id: executionId, operations };
  }

  async create(executionId: string, name: string, operations: StoredOperation[]): Promise<string> {
    this.assertOwnExecution(executionId);
    const graphId = randomUUID();
    await this.dataSource.transaction(async (em) => {
      const [graph]: { _storage_id: number }[] = await em.query(
        `INSERT INTO tasks_graphs (id, name, _execution_fk, _tenant_id, _creator_id, visibility)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING _storage_id`,
        [
          graphId,
          name,
          this.execution.storageId,
          this.execution.tenantId,
          this.execution.creatorId,
          this.execution.visibility,
        ],
      );
      const rowIds = await this.insertOperations(em, graph._storage_id, operations);
      operations.forEach((op, i) => this.remember(op, rowIds[i]));
    });
    return graphId;
  }

  async addOperations(graphId: string, operations: StoredOperation[]): Promise<void> {
    if (!operations.length) return;
    await this.dataSource.transaction(async (em) => {
      const graphs: { _storage_id: number }[] = await em.query(
        `SELECT _storage_id FROM tasks_graphs WHERE id = $1 AND _execution_fk = $2`,
        [graphId, this.execution.storageId],
      );
      if (!graphs[0])
        throw new Error(`Tasks graph ${graphId} of execution ${this.execution.id} not found`);
      const rowIds = await this.insertOperations(em, graphs[0]._storage_id, operations);
      operations.forEach((op, i) => this.remember(op, rowIds[i]));
    });
  }

  recordStates(changes: OperationStateChange[]): void {
    if (changes.length) this.batcher.add(...changes);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** A point in the stream of recorded states, for settled(). */
  mark(): number {
    return this.batcher.mark;
  }

  /**
   * Resolves once the states recorded so far (or before `mark`) are stored, without hurrying
   * the next batch.
   */
  settled(mark?: number): Promise<void> {
    return this.batcher.settled(mark);
  }

  close(): void {
    this.batcher.close();
  }

  private assertOwnExecution(executionId: string): void {
    if (executionId !== this.execution.id) {
      throw new Error(
        `This graph store belongs to execution ${this.execution.id}, not ${executionId}`,
      );
    }
  }

  private remember(op: StoredOperation, rowId: number): StoredOperation {
    this.countable.set(op.id, counted(op));
    this.rowIds.set(op.id, rowId);
    if (isTerminatedOperationState(op.state)) this.finished.add(op.id);
    return op;
  }

  /** The operations (one COPY) and the execution's counters, in the same transaction. */
  private async insertOperations(
    em: EntityManager,
    graphStorageId: number,
    operations: StoredOperation[],
  ): Promise<number[]> {
    this.graphStorageIds.add(graphStorageId);
    if (!operations.length) return [];
    const rowIds = await insertOperations(em, { ...this.execution, graphStorageId }, operations);
    const total = operations.filter(counted);
    const done = total.filter((op) => isTerminatedOperationState(op.state));
    await this.addToCounters(em, done.length, total.length);
    return rowIds;
  }

  private async addToCounters(em: EntityManager, finished: number, total: number): Promise<void> {
    if (!finished && !total) return;
    await em.query(
      `UPDATE executions SET finished_operations = coalesce(finished_operations, 0) + $2,
          total_operations = coalesce(total_operations, 0) + $3
        WHERE _storage_id = $1`,
      [this.execution.storageId, finished, total],
    );
  }

  /**
   * One statement for the batch (the last change of each operation wins) and the counter: a
   * single round trip, atomic without a transaction of its own.
   */
  private async writeStates(changes: OperationStateChange[]): Promise<void> {
    const latest = new Map<string, OperationStateChange>();
    const newlyFinished = new Set<string>();
    for (const change of changes) {
      latest.set(change.id, change);
      const countable = change.counted ?? this.countable.get(change.id) ?? true;
      if (countable && isTerminatedOperationState(change.state) && !this.finished.has(change.id)) {
        newlyFinished.add(change.id);
      }
    }
    const unknown = [...latest.keys()].filter((id) => !this.rowIds.has(id));
    if (unknown.length) await this.findRowIds(unknown);
    // Operations outside this execution's graphs stay unknown and change nothing.
    const rows = [...latest.values()].filter((row) => this.rowIds.has(row.id));
    await this.dataSource.query(WRITE_STATES_SQL, [
      rows.map((row) => this.rowIds.get(row.id)),
      rows.map((row) => row.state),
      rows.map((row) => row.exception ?? null),
      this.execution.storageId,
      newlyFinished.size,
    ]);
    newlyFinished.forEach((id) => this.finished.add(id));
  }

  /** Row ids of operations of this execution's graphs not known yet (none expected). */
  private async findRowIds(ids: string[]): Promise<void> {
    const found: { id: string; _storage_id: number }[] = await this.dataSource.query(
      `SELECT id, _storage_id FROM operations WHERE id = ANY($1::text[])
          AND _tasks_graph_fk = ANY($2::int[])`,
      [ids, [...this.graphStorageIds]],
    );
    for (const row of found) this.rowIds.set(row.id, row._storage_id);
  }
}

/**
 * $1 row ids (`_storage_id`, this store's own: read or inserted with its graphs), $2 states, $3
 * errors, $4 the execution, $5 operations newly finished. Rows are found by primary key alone: by
 * `id`, or with a graph condition, a batch was planned as a scan of the whole graph (there are no
 * statistics right after its COPY) — every batch O(graph size).
 */
const WRITE_STATES_SQL = `
WITH states AS (
  UPDATE operations o
     SET state = v.state,
         parameters = CASE WHEN v.error IS NULL THEN o.parameters
           ELSE jsonb_set(coalesce(o.parameters, '{}'::jsonb), '{error}', to_jsonb(v.error)) END
    FROM unnest($1::int[], $2::text[], $3::text[]) AS v(row_id, state, error)
   WHERE o._storage_id = v.row_id
)
UPDATE executions SET finished_operations = coalesce(finished_operations, 0) + $5
 WHERE _storage_id = $4 AND $5::int > 0`;
