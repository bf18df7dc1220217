import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { END_EXECUTION_STATUSES, MaintenanceModeStatus } from '@nestify/model';

/** The newest maintenance_mode row, with the requester's name. */
export interface MaintenanceRow {
  id: number;
  status: MaintenanceModeStatus;
  activation_requested_at: Date;
  activated_at: Date | null;
  requested_by: string | null;
}

/** An execution that keeps maintenance mode from activating. */
export interface RemainingExecution {
  id: string;
  status: string;
  deployment_id: string | null;
  workflow_id: string;
}

const END_STATUSES = [...END_EXECUTION_STATUSES];

/**
 * Maintenance state lives in the database so every rest-service process agrees: the newest row
 * of maintenance_mode is the current state (no row means deactivated).
 */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async current(): Promise<MaintenanceRow | undefined> {
    const rows: MaintenanceRow[] = await this.dataSource.query(
      `SELECT m.id, m.status, m.activation_requested_at, m.activated_at, u.username AS requested_by
       FROM maintenance_mode m LEFT JOIN users u ON u.id = m._requested_by
       ORDER BY m.id DESC LIMIT 1`,
    );
    return rows[0];
  }

  async insert(
    status: MaintenanceModeStatus,
    requestedBy: number,
    activatedAt: Date | null,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO maintenance_mode (status, activation_requested_at, activated_at, _requested_by)
       VALUES ($1, now(), $2, $3)`,
      [status, activatedAt, requestedBy],
    );
  }

  /** activating → activated, unless another process got there first. */
  async markActivated(id: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE maintenance_mode SET status = $2, activated_at = now()
       WHERE id = $1 AND status = $3`,
      [id, MaintenanceModeStatus.Activated, MaintenanceModeStatus.Activating],
    );
  }

  /** Executions of every tenant that have not ended (queued and scheduled ones included). */
  async unfinishedExecutions(): Promise<RemainingExecution[]> {
    return this.dataSource.query(
      `SELECT x.id, x.status, d.id AS deployment_id, x.workflow_id
       FROM executions x LEFT JOIN deployments d ON d._storage_id = x._deployment_fk
       WHERE x.status <> ALL($1) ORDER BY x.created_at, x._storage_id`,
      [END_STATUSES],
    );
  }

  async anyUnfinishedExecution(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM executions WHERE status <> ALL($1) LIMIT 1`,
      [END_STATUSES],
    );
    return rows.length > 0;
  }
}
