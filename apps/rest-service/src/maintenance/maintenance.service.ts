import { Injectable } from '@nestjs/common';
import { formatTimestamp } from '@nestify/common';
import { MaintenanceModeStatus } from '@nestify/model';
import { ExecutionsService } from '../executions/executions.service';
import { MaintenanceStateDto } from './dto/maintenance-state.dto';
import {
  MaintenanceRepository,
  MaintenanceRow,
  RemainingExecution,
} from './maintenance.repository';

const { Activated, Activating, Deactivated } = MaintenanceModeStatus;

/** How long the guard may trust the status it last read (every request checks it). */
export const MAINTENANCE_CACHE_MS = 1000;

/** The answer of activate/deactivate: the state, and whether anything changed (else 304). */
export interface MaintenanceChange {
  changed: boolean;
  state: MaintenanceStateDto;
}

const NEVER_ACTIVATED: MaintenanceStateDto = {
  status: Deactivated,
  activated_at: '',
  activation_requested_at: '',
  remaining_executions: null,
  requested_by: '',
};

function view(row: MaintenanceRow, remaining: RemainingExecution[] | null): MaintenanceStateDto {
  return {
    status: row.status,
    activated_at: formatTimestamp(row.activated_at),
    activation_requested_at: formatTimestamp(row.activation_requested_at),
    remaining_executions: remaining,
    requested_by: row.requested_by ?? '',
  };
}

/**
 * Maintenance mode: asked for by an admin, it becomes `activating` while executions still run
 * and `activated` once none does (checked whenever the state is read).
 */
@Injectable()
export class MaintenanceService {
  private cached?: { status: MaintenanceModeStatus; readAt: number };

  constructor(
    private readonly maintenance: MaintenanceRepository,
    private readonly executions: ExecutionsService,
  ) {}

  /** The current status, at most MAINTENANCE_CACHE_MS old (what the guard applies). */
  async status(): Promise<MaintenanceModeStatus> {
    return this.recentStatus() ?? (await this.refresh())?.status ?? Deactivated;
  }

  /** The status read less than MAINTENANCE_CACHE_MS ago, if any (no await on the hot path). */
  recentStatus(): MaintenanceModeStatus | undefined {
    const cached = this.cached;
    return cached && Date.now() - cached.readAt < MAINTENANCE_CACHE_MS ? cached.status : undefined;
  }

  async get(): Promise<MaintenanceStateDto> {
    const row = await this.refresh();
    if (!row || row.status === Deactivated) return { ...NEVER_ACTIVATED };
    const remaining =
      row.status === Activating ? await this.maintenance.unfinishedExecutions() : null;
    return view(row, remaining);
  }

  async activate(userId: number): Promise<MaintenanceChange> {
    const row = await this.refresh();
    if (row && row.status !== Deactivated) return { changed: false, state: await this.get() };
    const remaining = await this.maintenance.unfinishedExecutions();
    const status = remaining.length ? Activating : Activated;
    await this.maintenance.insert(status, userId, remaining.length ? null : new Date());
    const stored = await this.refresh();
    if (!stored) throw new Error('maintenance_mode row vanished right after it was written');
    return { changed: true, state: view(stored, remaining) };
  }

  async deactivate(userId: number): Promise<MaintenanceChange> {
    const row = await this.refresh();
    if (!row || row.status === Deactivated)
      return { changed: false, state: { ...NEVER_ACTIVATED } };
    await this.maintenance.insert(Deactivated, userId, null);
    await this.refresh();
    // Executions queued while maintenance was on may start now.
    await this.executions.startQueued();
    return { changed: true, state: { ...view(row, null), status: Deactivated } };
  }

  /** Reads the newest state, completes a pending activation if nothing runs, and caches it. */
  private async refresh(): Promise<MaintenanceRow | undefined> {
    let row = await this.maintenance.current();
    if (row?.status === Activating && !(await this.maintenance.anyUnfinishedExecution())) {
      await this.maintenance.markActivated(row.id);
      row = await this.maintenance.current();
    }
    this.cached = { status: row?.status ?? Deactivated, readAt: Date.now() };
    return row;
  }
}
