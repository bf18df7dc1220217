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
        delayMs: options.flushDelayMs ?? 5,
        maxItems: options.flushMaxChanges ?? 1000,
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
      `SELECT id, name, type, state, dependencies, parameters FROM operations
        WHERE _tasks_graph_fk = $1 ORDER BY _storage_id`,
      [graph._storage_id],
    );
    const operations = rows.map((row) =>
      this.remember({ ...row, dependencies: row.dependencies ?? [] }),
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
      await this.insertOperations(em, graph._storage_id, operations);
    });
    operations.forEach((op) => this.remember(op));
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
      await this.insertOperations(em, graphs[0]._storage_id, operations);
    });
    operations.forEach((op) => this.remember(op));
  }

  recordStates(changes: OperationStateChange[]): void {
    if (changes.length) this.batcher.add(...changes);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Resolves once the states recorded so far are stored, without hurrying the next batch. */
  settled(): Promise<void> {
    return this.batcher.settled();
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

  private remember(op: StoredOperation): StoredOperation {
    this.countable.set(op.id, counted(op));
    if (isTerminatedOperationState(op.state)) this.finished.add(op.id);
    return op;
  }

  /** The operations (one COPY) and the execution's counters, in the same transaction. */
  private async insertOperations(
    em: EntityManager,
    graphStorageId: number,
    operations: StoredOperation[],
  ): Promise<void> {
    this.graphStorageIds.add(graphStorageId);
    if (!operations.length) return;
    await insertOperations(em, { ...this.execution, graphStorageId }, operations);
    const total = operations.filter(counted);
    const done = total.filter((op) => isTerminatedOperationState(op.state));
    await this.addToCounters(em, done.length, total.length);
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

  /** One UPDATE for the batch (the last change of each operation wins) plus the counter. */
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
    const rows = [...latest.values()];
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE operations o
            SET state = v.state,
                parameters = CASE WHEN v.error IS NULL THEN o.parameters
                  ELSE jsonb_set(coalesce(o.parameters, '{}'::jsonb), '{error}', to_jsonb(v.error)) END
           FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, state, error)
          WHERE o.id = v.id
            AND o._tasks_graph_fk = ANY($4::int[])`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.state),
          rows.map((row) => row.exception ?? null),
          [...this.graphStorageIds],
        ],
      );
      await this.addToCounters(em, newlyFinished.size, 0);
    });
    newlyFinished.forEach((id) => this.finished.add(id));
  }
}
