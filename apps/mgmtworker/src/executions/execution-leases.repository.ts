import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Leases of running executions (`execution_leases`): one row per execution naming the worker
 * that runs it and until when. Taking a lease is one statement that succeeds only when there is
 * no lease, it expired, or it is already ours — so two workers never run one execution.
 */
@Injectable()
export class ExecutionLeasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes (or re-takes) the lease; false when another worker holds a live one. */
  async acquire(executionStorageId: number, owner: string, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO execution_leases (_execution_fk, owner, acquired_at, expires_at)
       VALUES ($1, $2, now(), now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (_execution_fk) DO UPDATE
          SET owner = excluded.owner, acquired_at = excluded.acquired_at,
              expires_at = excluded.expires_at
        WHERE execution_leases.owner = excluded.owner OR execution_leases.expires_at < now()
       RETURNING _execution_fk`,
      [executionStorageId, owner, ttlMs],
    );
    return rows.length === 1;
  }

  /** Extends this worker's leases; returns the executions whose lease it no longer holds. */
  async renew(executionStorageIds: number[], owner: string, ttlMs: number): Promise<number[]> {
    if (!executionStorageIds.length) return [];
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows]: [{ _execution_fk: number }[], number] = await this.dataSource.query(
      `UPDATE execution_leases
          SET expires_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE _execution_fk = ANY($1) AND owner = $2
       RETURNING _execution_fk`,
      [executionStorageIds, owner, ttlMs],
    );
    const kept = new Set(rows.map((row) => row._execution_fk));
    return executionStorageIds.filter((id) => !kept.has(id));
  }

  async release(executionStorageId: number, owner: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM execution_leases WHERE _execution_fk = $1 AND owner = $2`,
      [executionStorageId, owner],
    );
  }
}
