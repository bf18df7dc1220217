import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, MigrationExecutor, Repository } from 'typeorm';
import { Visibility } from '@nestify/common';
import {
  Execution,
  ExecutionStatus,
  JsonObject,
  MIGRATIONS_TABLE,
  Snapshot,
  SnapshotStatus,
  STARTUP_ADVISORY_LOCK_KEY,
} from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';

/** A snapshot with the names its response shows. */
export interface SnapshotRow {
  snapshot: Snapshot;
  tenantName: string;
  creatorName: string;
}

/** A snapshot row by names rather than ids, so it survives a database restore. */
export interface PortableSnapshot {
  id: string;
  visibility: Visibility;
  tenantName: string;
  creatorName: string;
  createdAt: Date;
  status: SnapshotStatus | null;
  error: string | null;
}

/** A system execution of the snapshot workflows, by names for the same reason. */
export interface PortableExecution {
  /** Kept when free, so streams and followers that track it carry on after a restore. */
  storageId: number;
  id: string;
  workflowId: string;
  status: ExecutionStatus;
  parameters: JsonObject;
  error: string;
  visibility: Visibility;
  tenantName: string;
  creatorName: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

const COLUMNS: ColumnMap = {
  id: { expression: 'snapshot.id' },
  created_at: { expression: 'snapshot.createdAt' },
  status: { expression: 'snapshot.status' },
  error: { expression: 'snapshot.error' },
  visibility: { expression: 'snapshot.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

/** The workflows whose executions a restore keeps (those of the live manager, not the archive's). */
export const SNAPSHOT_WORKFLOWS: readonly string[] = ['create_snapshot', 'restore_snapshot'];

/** pg_advisory_lock key of snapshot jobs (any constant no other code uses on the database). */
const SNAPSHOT_JOB_LOCK_KEY = 4_113_705_010;

/** Every query on snapshots and on their system executions. */
@Injectable()
export class SnapshotsRepository {
  constructor(
    @InjectRepository(Snapshot) private readonly snapshots: Repository<Snapshot>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private static row(snapshot: Snapshot): SnapshotRow {
    return {
      snapshot,
      tenantName: snapshot.tenant?.name ?? '',
      creatorName: snapshot.creator?.username ?? '',
    };
  }

  private visible(scope: TenantScope) {
    const qb = this.snapshots
      .createQueryBuilder('snapshot')
      .innerJoinAndSelect('snapshot.tenant', 'tenant')
      .innerJoinAndSelect('snapshot.creator', 'creator');
    return whereVisible(qb, 'snapshot', scope);
  }

  /**
   * Takes the database-wide snapshot-job lock on a connection of its own, so REST replicas never
   * dump or restore at once; answers its release, or undefined when another holder has it.
   */
  async tryLockJobs(): Promise<(() => Promise<void>) | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        SNAPSHOT_JOB_LOCK_KEY,
      ])) as Array<{ locked: boolean }>;
      if (locked) {
        return async () => {
          try {
            await runner.query('SELECT pg_advisory_unlock($1)', [SNAPSHOT_JOB_LOCK_KEY]);
          } finally {
            await runner.release();
          }
        };
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    await runner.release();
    return undefined;
  }

  async findVisible(id: string, scope: TenantScope): Promise<SnapshotRow | undefined> {
    const snapshot = await this.visible(scope).andWhere('snapshot.id = :id', { id }).getOne();
    return snapshot ? SnapshotsRepository.row(snapshot) : undefined;
  }

  /** Archives are stored by id alone, so an id is taken if any tenant has it. */
  async idTaken(id: string): Promise<boolean> {
    return (await this.snapshots.count({ where: { id } })) > 0;
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<{ items: SnapshotRow[]; total: number }> {
    const qb = applyListQuery(this.visible(scope), query, COLUMNS, 'id');
    if (!query.sort.length) {
      qb.orderBy('snapshot.createdAt', 'ASC').addOrderBy('snapshot.storageId', 'ASC');
    }
    const { items, total } = await fetchPage(qb, query);
    return { items: items.map((snapshot) => SnapshotsRepository.row(snapshot)), total };
  }

  async insert(values: Partial<Snapshot>): Promise<void> {
    await this.snapshots.insert(values);
  }

  async setStatus(id: string, status: SnapshotStatus, error: string | null): Promise<void> {
    await this.snapshots.update({ id }, { status, error });
  }

  async delete(id: string): Promise<void> {
    await this.snapshots.delete({ id });
  }

  async insertExecution(values: Partial<Execution>): Promise<void> {
    const executions = this.dataSource.getRepository(Execution);
    await executions.save(executions.create(values));
  }

  async endExecution(id: string, status: ExecutionStatus, error: string): Promise<void> {
    await this.dataSource
      .getRepository(Execution)
      .update({ id }, { status, error, endedAt: new Date() });
  }

  /** Stores a workflow event of a snapshot execution, as the bridge stores a worker's. */
  async addWorkflowEvent(executionId: string, eventType: string, message: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO events (timestamp, reported_timestamp, event_type, message,
          _execution_fk, _tenant_id, _creator_id, visibility)
       SELECT now(), now(), $2, $3, _storage_id, _tenant_id, _creator_id, visibility
         FROM executions WHERE id = $1`,
      [executionId, eventType, message],
    );
  }

  /** Names of the migrations applied to the database, as an archive records them. */
  async appliedMigrations(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY id`,
    )) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  }

  /** Names of the migrations this code knows. */
  knownMigrations(): string[] {
    return this.dataSource.migrations.map(
      (migration) => migration.name ?? migration.constructor.name,
    );
  }

  /**
   * Brings a database restored from an older archive up to this code's schema, under the
   * start-up lock the apps migrate under.
   */
  async migrate(): Promise<string[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_ADVISORY_LOCK_KEY]);
      try {
        const executor = new MigrationExecutor(this.dataSource, runner);
        executor.transaction = 'all';
        return (await executor.executePendingMigrations()).map((migration) => migration.name);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_ADVISORY_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** The tables of the public schema, to lock them all before a restore replaces them. */
  async tableNames(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )) as Array<{ tablename: string }>;
    return rows.map((row) => row.tablename);
  }

  /** Whether the manager holds anything a restore would overwrite. */
  async hasBlueprintsOrDeployments(): Promise<boolean> {
    const [{ count }] = (await this.dataSource.query(
      'SELECT (SELECT count(*) FROM blueprints) + (SELECT count(*) FROM deployments) AS count',
    )) as Array<{ count: string }>;
    return Number(count) > 0;
  }

  /** Every snapshot, by names. */
  async exportSnapshots(): Promise<PortableSnapshot[]> {
    const rows = await this.snapshots.find({ relations: { tenant: true, creator: true } });
    return rows.map((row) => ({
      id: row.id,
      visibility: row.visibility,
      tenantName: row.tenant?.name ?? '',
      creatorName: row.creator?.username ?? '',
      createdAt: row.createdAt,
      status: row.status,
      error: row.error,
    }));
  }

  /** Every snapshot workflow execution, by names. */
  async exportSnapshotExecutions(): Promise<PortableExecution[]> {
    const rows = await this.dataSource.getRepository(Execution).find({
      where: { workflowId: In([...SNAPSHOT_WORKFLOWS]) },
      relations: { tenant: true, creator: true },
    });
    return rows.map((row) => ({
      storageId: row.storageId,
      id: row.id,
      workflowId: row.workflowId,
      status: row.status,
      parameters: row.parameters ?? {},
      error: row.error ?? '',
      visibility: row.visibility,
      tenantName: row.tenant?.name ?? '',
      creatorName: row.creator?.username ?? '',
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
    }));
  }
}
