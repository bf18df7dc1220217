import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  BadParametersError,
  ConflictError,
  formatTimestamp,
  IllegalActionError,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { ExecutionStatus, JsonObject, SnapshotStatus } from '@nestify/model';
import { IdentityChanges } from '../common/identity/identity-changes';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { ExecutionResponseDto } from '../executions/dto/execution-response.dto';
import { ExecutionsService } from '../executions/executions.service';
import { CreateSnapshotDto, RestoreSnapshotDto } from './dto/snapshot-body.dto';
import { SnapshotResponseDto, SnapshotStatusResponseDto } from './dto/snapshot-response.dto';
import { dumpDatabase, restoreDatabase } from './pg-tools';
import {
  DATABASE_DUMP_FILE,
  packSnapshot,
  restoreResources,
  stageResources,
  unpackSnapshot,
  writeManifest,
} from './snapshot-archive';
import { ArchiveError } from '../resources/archive/safe-extract';
import { SnapshotFiles } from './snapshot-files';
import { lockTablesSql, snapshotRecordsSql } from './snapshot-records-sql';
import { SNAPSHOT_WORKFLOWS, SnapshotRow, SnapshotsRepository } from './snapshots.repository';

/** File-server folders that are scratch space, never part of a snapshot. */
const SCRATCH_FOLDERS = ['tmp'];

function toResponse({ snapshot, tenantName, creatorName }: SnapshotRow): SnapshotResponseDto {
  return {
    id: snapshot.id,
    created_at: formatTimestamp(snapshot.createdAt),
    status: snapshot.status,
    error: snapshot.error,
    visibility: snapshot.visibility,
    tenant_name: tenantName,
    created_by: creatorName,
    resource_availability: snapshot.visibility,
    private_resource: snapshot.visibility === Visibility.Private,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The caller of a snapshot request: its scope plus the name executions record. */
export type SnapshotCaller = TenantScope & { username: string };

/**
 * Snapshots: an archive of the whole manager — a pg_dump of its database plus the file-server
 * resources (blueprints, plugins) — that a restore puts back. Creation and restore run in the
 * background as the system executions `create_snapshot` / `restore_snapshot`, one at a time.
 */
@Injectable()
export class SnapshotsService implements OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotsService.name);
  private readonly files: SnapshotFiles;
  /** Whether a snapshot job runs in this process (one at a time). */
  private busy = false;
  /** Releases the database-wide job lock this process holds. */
  private unlock: (() => Promise<void>) | undefined;
  /** The last job, awaited at shutdown. */
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly snapshots: SnapshotsRepository,
    private readonly executions: ExecutionsService,
    private readonly identityChanges: IdentityChanges,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {
    this.files = new SnapshotFiles(config.dataDir);
  }

  status(): SnapshotStatusResponseDto {
    return { status: this.busy ? 'running' : 'not-running' };
  }

  /** Closing the app waits for a running job: a half-written archive or restore helps no one. */
  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  async get(id: string, scope: TenantScope): Promise<SnapshotResponseDto> {
    return toResponse(await this.require(id, scope));
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<SnapshotResponseDto>>> {
    const { items, total } = await this.snapshots.list(query, scope);
    return listEnvelope(items.map(toResponse), total, query);
  }

  async create(
    id: string,
    body: CreateSnapshotDto,
    caller: SnapshotCaller,
  ): Promise<Partial<ExecutionResponseDto>> {
    validateResourceId(id, 'snapshot_id');
    const databaseUrl = this.requireDatabaseUrl();
    if (await this.snapshots.idTaken(id)) {
      throw new ConflictError(`<Snapshot id=\`${id}\`> already exists`);
    }
    const executionId = await this.claimFor(async () => {
      await this.snapshots.insert({
        id,
        status: SnapshotStatus.Creating,
        error: null,
        visibility: Visibility.Private,
        tenantId: caller.tenantId,
        creatorId: caller.userId,
      });
      return this.startExecution('create_snapshot', { snapshot_id: id, ...body }, caller);
    });
    const withoutDataOf = [
      ...(body.include_events === false ? ['events'] : []),
      ...(body.include_logs === false ? ['logs'] : []),
    ];
    this.runInBackground(executionId, 'create_snapshot', async () => {
      try {
        await this.writeArchive(id, databaseUrl, withoutDataOf);
        await this.snapshots.setStatus(id, SnapshotStatus.Created, null);
      } catch (error) {
        await this.snapshots.setStatus(id, SnapshotStatus.Failed, messageOf(error));
        throw error;
      }
    });
    return this.executions.get(executionId, caller);
  }

  async upload(id: string, body: Readable, caller: SnapshotCaller): Promise<SnapshotResponseDto> {
    validateResourceId(id, 'snapshot_id');
    if (await this.snapshots.idTaken(id)) {
      throw new ConflictError(`<Snapshot id=\`${id}\`> already exists`);
    }
    this.refuseWhileRunning();
    try {
      await this.files.receive(id, body, this.config.resources.maxUnpackedBytes * 10);
    } catch (error) {
      // Larger than the limit: the caller's request, answered like a too-large plugin upload.
      if (!(error instanceof ArchiveError)) throw error;
      throw new BadParametersError(error.message);
    }
    await this.snapshots.insert({
      id,
      status: SnapshotStatus.Uploaded,
      error: null,
      visibility: Visibility.Private,
      tenantId: caller.tenantId,
      creatorId: caller.userId,
    });
    return this.get(id, caller);
  }

  /** The archive file of a finished snapshot. */
  async archive(id: string, scope: TenantScope): Promise<{ path: string; filename: string }> {
    await this.requireArchive(id, scope);
    return { path: this.files.archive(id), filename: `${id}.tar.gz` };
  }

  async delete(id: string, scope: TenantScope): Promise<void> {
    const { snapshot } = await this.require(id, scope);
    if (snapshot.status === SnapshotStatus.Creating) {
      throw new IllegalActionError(`Snapshot \`${id}\` is being created; delete it once it ends`);
    }
    await this.snapshots.delete(id);
    await this.files.remove(id);
  }

  async restore(
    id: string,
    body: RestoreSnapshotDto,
    caller: SnapshotCaller,
  ): Promise<Partial<ExecutionResponseDto>> {
    const databaseUrl = this.requireDatabaseUrl();
    await this.requireArchive(id, caller);
    const executionId = await this.claimFor(async () => {
      if (!body.force && (await this.snapshots.hasBlueprintsOrDeployments())) {
        throw new BadParametersError(
          'The manager has blueprints or deployments; a restore replaces them all — use force=true to restore anyway',
        );
      }
      return this.startExecution('restore_snapshot', { snapshot_id: id, ...body }, caller);
    });
    this.runInBackground(executionId, 'restore_snapshot', () =>
      this.restoreArchive(id, databaseUrl),
    );
    return this.executions.get(executionId, caller);
  }

  private async writeArchive(
    id: string,
    databaseUrl: string,
    withoutDataOf: string[],
  ): Promise<void> {
    const work = await this.files.workDir(`create-${id}`);
    try {
      const staging = join(work, 'staging');
      await stageResources(this.config.resources.dir, staging, SCRATCH_FOLDERS);
      await dumpDatabase(databaseUrl, join(staging, DATABASE_DUMP_FILE), withoutDataOf);
      await writeManifest(staging, {
        format: 'nestify-snapshot',
        version: 1,
        snapshot_id: id,
        created_at: new Date().toISOString(),
        migrations: await this.snapshots.appliedMigrations(),
      });
      const archive = join(work, 'snapshot.tar.gz');
      await packSnapshot(staging, archive);
      await this.files.moveIn(id, archive);
    } finally {
      await this.files.removeDir(work);
    }
  }

  /**
   * Database first, then the resources. The live manager's snapshot records (its archives are
   * what is on disk, and the restore's own execution) are written back in the same transaction
   * as the restore, over the archive's.
   */
  private async restoreArchive(id: string, databaseUrl: string): Promise<void> {
    const work = await this.files.workDir(`restore-${id}`);
    try {
      const manifest = await unpackSnapshot(this.files.archive(id), work);
      const known = new Set(this.snapshots.knownMigrations());
      const unknown = (manifest.migrations ?? []).filter((name) => !known.has(name));
      if (unknown.length) {
        throw new Error(
          `the snapshot was made by a newer nestify (schema migrations ${unknown.join(', ')}); upgrade this manager first`,
        );
      }
      const after = snapshotRecordsSql(
        await this.snapshots.exportSnapshots(),
        await this.snapshots.exportSnapshotExecutions(),
        SNAPSHOT_WORKFLOWS,
      );
      const before = lockTablesSql(await this.snapshots.tableNames());
      try {
        await restoreDatabase(databaseUrl, join(work, DATABASE_DUMP_FILE), work, {
          before,
          after,
        });
      } finally {
        // Users, roles and tokens are now the archive's: drop cached lookups.
        this.identityChanges.notify();
      }
      const migrated = await this.snapshots.migrate();
      if (migrated.length) this.logger.log(`Restored schema migrated: ${migrated.join(', ')}`);
      await restoreResources(work, this.config.resources.dir, SCRATCH_FOLDERS);
    } finally {
      await this.files.removeDir(work);
    }
  }

  private async startExecution(
    workflowId: string,
    parameters: Record<string, unknown>,
    caller: SnapshotCaller,
  ): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await this.snapshots.insertExecution({
      id,
      workflowId,
      status: ExecutionStatus.Started,
      parameters: parameters as JsonObject,
      error: '',
      isSystemWorkflow: true,
      visibility: Visibility.Private,
      tenantId: caller.tenantId,
      creatorId: caller.userId,
      createdAt: now,
      startedAt: now,
    });
    await this.snapshots.addWorkflowEvent(
      id,
      'workflow_started',
      `Starting '${workflowId}' workflow execution`,
    );
    return id;
  }

  /**
   * Marks this process busy and takes the database-wide job lock (refused if either is taken)
   * while `prepare` records the job; on failure both are free again. runInBackground frees them
   * when the job ends.
   */
  private async claimFor<T>(prepare: () => Promise<T>): Promise<T> {
    this.refuseWhileRunning();
    this.busy = true;
    try {
      this.unlock = await this.snapshots.tryLockJobs();
      if (!this.unlock) {
        throw new IllegalActionError(
          'Another REST service is creating or restoring a snapshot; try again once it ends',
        );
      }
      return await prepare();
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  private async release(): Promise<void> {
    const unlock = this.unlock;
    this.unlock = undefined;
    await unlock?.().catch((cause: unknown) => this.logger.error(messageOf(cause)));
    this.busy = false;
  }

  /**
   * Runs a claimed job after the response; its execution ends `terminated` or `failed` with
   * the error. The job counts as over before its execution is ended, so whoever sees the end
   * may start the next one.
   */
  private runInBackground(executionId: string, workflowId: string, job: () => Promise<void>): void {
    this.running = (async () => {
      let status = ExecutionStatus.Terminated;
      let error = '';
      try {
        await job();
      } catch (cause) {
        status = ExecutionStatus.Failed;
        error = messageOf(cause);
        this.logger.error(`snapshot execution ${executionId} failed: ${error}`);
      } finally {
        await this.release();
      }
      try {
        // The closing event lets followers (the CLI, the event stream) stop at once.
        await this.snapshots.addWorkflowEvent(
          executionId,
          error ? 'workflow_failed' : 'workflow_succeeded',
          error
            ? `'${workflowId}' workflow execution failed: ${error}`
            : `'${workflowId}' workflow execution succeeded`,
        );
        await this.snapshots.endExecution(executionId, status, error);
      } catch (cause) {
        this.logger.error(`ending snapshot execution ${executionId}: ${messageOf(cause)}`);
      }
    })();
  }

  private refuseWhileRunning(): void {
    if (this.busy) {
      throw new IllegalActionError(
        'A snapshot is being created or restored; try again once it ends',
      );
    }
  }

  private requireDatabaseUrl(): string {
    const url = this.config.database.url;
    if (!url) {
      throw new IllegalActionError(
        'Snapshots need a PostgreSQL server: set DATABASE_URL (the embedded database cannot be dumped with pg_dump)',
      );
    }
    return url;
  }

  private async require(id: string, scope: TenantScope): Promise<SnapshotRow> {
    const row = await this.snapshots.findVisible(id, scope);
    if (!row) throw new NotFoundError('Snapshot', id);
    return row;
  }

  private async requireArchive(id: string, scope: TenantScope): Promise<void> {
    const { snapshot } = await this.require(id, scope);
    const ready =
      snapshot.status === SnapshotStatus.Created || snapshot.status === SnapshotStatus.Uploaded;
    if (!ready || !(await this.files.exists(id))) {
      throw new IllegalActionError(
        `Snapshot \`${id}\` has no archive (status ${snapshot.status ?? 'unknown'})`,
      );
    }
  }
}
