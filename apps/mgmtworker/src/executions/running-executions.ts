import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { ExecutionCancellation, cancelLevelOf } from './cancellation';
import { ExecutionLeasesRepository } from './execution-leases.repository';
import { MgmtworkerExecutionsRepository } from './executions.repository';
import { WORKER_ID } from './worker-identity';

/** One running execution as the tracker knows it. */
export interface TrackedExecution {
  executionId: string;
  tenantName: string;
  cancellation: ExecutionCancellation;
  /** Takes the execution's new token (sent with a kill) for its final status. */
  useToken: (token: string) => void;
  /** Called once if this worker lost the execution's lease (another worker may run it now). */
  onLeaseLost: () => void;
}

/**
 * The executions this worker runs: one timer polls their statuses (a cancel, force-cancel or kill
 * stored by the REST service raises their CancellationSignal) and renews their leases. One query
 * each per tick, however many executions run.
 */
@Injectable()
export class RunningExecutions implements OnModuleDestroy {
  private readonly logger = new Logger(RunningExecutions.name);
  private readonly tracked = new Map<number, TrackedExecution>();
  private statusTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly executions: MgmtworkerExecutionsRepository,
    private readonly leases: ExecutionLeasesRepository,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
    @Inject(WORKER_ID) private readonly workerId: string,
  ) {}

  get size(): number {
    return this.tracked.size;
  }

  track(storageId: number, execution: TrackedExecution): void {
    this.tracked.set(storageId, execution);
    this.startTimers();
  }

  /** Hands a kill's new execution token to the execution it belongs to, if it runs here. */
  useToken(executionId: string, tenantName: string, token: string): void {
    for (const entry of this.tracked.values()) {
      if (entry.executionId === executionId && entry.tenantName === tenantName) {
        entry.useToken(token);
      }
    }
  }

  untrack(storageId: number): void {
    this.tracked.delete(storageId);
    if (!this.tracked.size) this.stopTimers();
  }

  /** Reads the statuses now (a cancel message arrived). */
  pollNow(): Promise<void> {
    this.polling ??= this.pollStatuses().finally(() => (this.polling = undefined));
    return this.polling;
  }

  onModuleDestroy(): void {
    this.stopTimers();
  }

  private startTimers(): void {
    const { statusPollMs, leaseTtlMs } = this.config.mgmtworker;
    this.statusTimer ??= setInterval(() => void this.pollNow(), statusPollMs);
    this.leaseTimer ??= setInterval(() => void this.renewLeases(), Math.floor(leaseTtlMs / 3));
  }

  private stopTimers(): void {
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.statusTimer = this.leaseTimer = undefined;
  }

  private async pollStatuses(): Promise<void> {
    try {
      const statuses = await this.executions.statuses([...this.tracked.keys()]);
      for (const [storageId, status] of statuses) {
        const level = cancelLevelOf(status);
        if (level) this.tracked.get(storageId)?.cancellation.raise(level);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read execution statuses');
    }
  }

  private async renewLeases(): Promise<void> {
    try {
      const lost = await this.leases.renew(
        [...this.tracked.keys()],
        this.workerId,
        this.config.mgmtworker.leaseTtlMs,
      );
      for (const storageId of lost) {
        const entry = this.tracked.get(storageId);
        if (!entry) continue;
        this.logger.error({ storageId }, 'lost the lease of a running execution; stopping it');
        entry.onLeaseLost();
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not renew execution leases');
    }
  }
}
