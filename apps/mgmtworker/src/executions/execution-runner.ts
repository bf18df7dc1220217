import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import {
  EXCHANGES,
  MESSAGE_BUS,
  RejectMessageError,
  RetryMessageError,
  ROUTING_KEYS,
} from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { isDatabaseUnavailable, isEndExecutionStatus } from '@nestify/model';
import type { WorkflowPorts } from '@nestify/workflows';
import { BusEventSink } from '../dispatch/event-sink';
import { BusOperationDispatcher } from '../dispatch/operation-dispatcher';
import { TypeOrmDeploymentStore } from '../persistence/deployment-store';
import { TypeOrmGraphStore } from '../persistence/graph-store';
import {
  ExecutionStatusRejectedError,
  RestExecutionStore,
} from '../persistence/rest-execution-store';
import { ExecutionCancellation, cancelLevelOf } from './cancellation';
import { DryRunGraphStore } from './dry-run-graph-store';
import { ExecutionLeasesRepository } from './execution-leases.repository';
import { StartRequest } from './execution-message';
import { MgmtworkerExecutionsRepository, StoredExecution } from './executions.repository';
import { NO_DEPLOYMENT_STORE } from './no-deployment-store';
import { RunningExecutions } from './running-executions';
import { WORKER_ID } from './worker-identity';
import { WORKFLOW_ENGINE } from './workflow-engine';
import type { WorkflowEngine } from './workflow-engine';

/** How long a delivery waits before the next try while the database is unavailable. */
const DATABASE_RETRY_MS = 2000;

/** Why the worker stopped waiting for the engine before it returned. */
class StoppedWaiting extends Error {
  constructor(readonly reason: 'force' | 'kill' | 'lease_lost') {
    super(reason);
  }
}

/**
 * Runs one execution: checks the stored execution (its tenant and status, not the message's),
 * takes its lease, builds the engine's ports on PostgreSQL, RabbitMQ and the REST service, and
 * calls the engine. A cancel lets the engine stop on its own; a force-cancel stops waiting for it;
 * a kill also stops the running operations (`cancel-operation` to every worker of the deployment).
 */
@Injectable()
export class ExecutionRunner {
  private readonly logger = new Logger(ExecutionRunner.name);
  private started: Promise<void> | undefined;
  /** Runs of this process by execution id, so a second delivery of one waits for the first. */
  private readonly inProcess = new Map<string, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly dispatcher: BusOperationDispatcher,
    private readonly executions: MgmtworkerExecutionsRepository,
    private readonly leases: ExecutionLeasesRepository,
    private readonly running: RunningExecutions,
  ) {}

  /**
   * Runs the execution to its end (the message is acknowledged after this resolves). With the
   * database unavailable (a restart, a failover) the message comes back later and the execution
   * resumes from its stored graph, instead of being failed or dead-lettered.
   */
  async run(start: StartRequest, redelivered: boolean): Promise<void> {
    // The broker redelivers an execution whose channel it lost — possibly to this process while
    // it still runs it (its own lease lets it in): that delivery waits for the run to end.
    const id = start.request.execution_id;
    const previous = this.inProcess.get(id) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.runOnce(start, redelivered));
    this.inProcess.set(id, current);
    try {
      await current;
    } finally {
      if (this.inProcess.get(id) === current) this.inProcess.delete(id);
    }
  }

  private async runOnce(start: StartRequest, redelivered: boolean): Promise<void> {
    try {
      await this.runExecution(start, redelivered);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        { executionId: start.request.execution_id, reason: detail },
        'database unavailable; the execution will be resumed',
      );
      throw new RetryMessageError(`database unavailable: ${detail}`, DATABASE_RETRY_MS);
    }
  }

  private async runExecution(start: StartRequest, redelivered: boolean): Promise<void> {
    await (this.started ??= this.dispatcher.start());
    const { request } = start;
    const stored = await this.executions.find(request.execution_id, request.tenant_name);
    if (!stored) {
      throw new RejectMessageError(
        'unknown_execution',
        `execution ${request.execution_id} not found`,
      );
    }
    if (isEndExecutionStatus(stored.status) || stored.status === 'queued') {
      this.logger.log(
        { executionId: stored.id, status: stored.status },
        'execution not runnable; dropped',
      );
      return;
    }
    const store = new RestExecutionStore({
      baseUrl: start.restUrl,
      executionId: stored.id,
      executionToken: start.token,
    });
    if (cancelLevelOf(stored.status)) {
      await this.reportCancelled(store, stored.id);
      return;
    }
    const { leaseTtlMs } = this.config.mgmtworker;
    if (!(await this.leases.acquire(stored.storageId, this.workerId, leaseTtlMs))) {
      throw new RetryMessageError(
        `execution ${stored.id} is run by another worker`,
        leaseTtlMs / 2,
      );
    }
    try {
      // Already started once (redelivered after a worker died, or REST re-dispatched it): resume.
      const resume = request.resume || redelivered || stored.status === 'started';
      await this.runWithPorts(start, stored, store, resume);
    } finally {
      await this.leases.release(stored.storageId, this.workerId).catch((error) => {
        this.logger.warn({ err: error, executionId: stored.id }, 'could not release the lease');
      });
    }
  }

  private async runWithPorts(
    start: StartRequest,
    stored: StoredExecution,
    execution: RestExecutionStore,
    resume: boolean,
  ): Promise<void> {
    const onError = (error: unknown) =>
      this.logger.warn({ err: error, executionId: stored.id }, 'background write failed; retrying');
    const cancellation = new ExecutionCancellation();
    const deployments =
      stored.deploymentFk === null
        ? undefined
        : new TypeOrmDeploymentStore(
            this.dataSource,
            { storageId: stored.deploymentFk, tenantId: stored.tenantId },
            { onError },
          );
    const graphs = stored.isDryRun
      ? new DryRunGraphStore()
      : new TypeOrmGraphStore(this.dataSource, stored, {
          onError,
          // The instance writes queued so far only: flush() would also wait for later ones.
          beforeWrite: async () => deployments?.settled(),
        });
    const events = new BusEventSink(
      this.bus,
      { tenantName: stored.tenantName, deploymentId: stored.deploymentId, executionId: stored.id },
      {
        onError,
        // Waits for the states recorded before the events, on the graph store's own batching
        // (not a flush per event batch, nor for the states recorded since).
        mark: () => (graphs instanceof TypeOrmGraphStore ? graphs.mark() : 0),
        beforePublish: (mark) =>
          graphs instanceof TypeOrmGraphStore ? graphs.settled(mark) : Promise.resolve(),
      },
    );
    const dispatcher = this.dispatcher.forExecution(stored.id);
    const ports: WorkflowPorts = {
      deployments: deployments ?? NO_DEPLOYMENT_STORE,
      graphs,
      dispatcher,
      events,
      execution,
      settings: await this.executions.workflowSettings(this.config.mgmtworker.maxConcurrentTasks),
      cancellation,
    };
    let stopWaiting: (reason: StoppedWaiting) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (stopWaiting = reject));
    cancellation.onLevel((level) => {
      if (level === 'kill') void this.cancelOperations(stored);
      if (level !== 'cancel') stopWaiting(new StoppedWaiting(level));
    });
    this.running.track(stored.storageId, {
      executionId: stored.id,
      tenantName: stored.tenantName,
      cancellation,
      useToken: (token) => execution.useToken(token),
      onLeaseLost: () => stopWaiting(new StoppedWaiting('lease_lost')),
    });
    const request = { ...start.request, resume, tenant_name: stored.tenantName };
    this.logger.log(
      { executionId: stored.id, workflow: request.workflow_id, resume },
      'execution started',
    );
    try {
      await Promise.race([this.engine(request, ports), stopped]);
    } catch (error) {
      await this.afterFailure(error, stored, execution);
    } finally {
      this.running.untrack(stored.storageId);
      dispatcher.close();
      await Promise.allSettled([graphs.flush(), deployments?.flush(), events.flush()]);
      if (graphs instanceof TypeOrmGraphStore) graphs.close();
      deployments?.close();
      events.close();
      this.logger.log({ executionId: stored.id }, 'execution ended');
    }
  }

  private async afterFailure(
    error: unknown,
    stored: StoredExecution,
    execution: RestExecutionStore,
  ): Promise<void> {
    if (error instanceof StoppedWaiting) {
      if (error.reason === 'lease_lost') return;
      await this.reportCancelled(execution, stored.id);
      return;
    }
    // Not the execution's fault: run() has the message delivered again, and it resumes.
    if (isDatabaseUnavailable(error)) throw error;
    // The engine reports its own failures; this covers errors before or outside it.
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(
      { err: error, executionId: stored.id },
      'execution failed outside the engine',
    );
    await execution.setStatus('failed', message).catch((rejected) => {
      if (!(rejected instanceof ExecutionStatusRejectedError)) throw rejected;
    });
  }

  private async reportCancelled(execution: RestExecutionStore, executionId: string): Promise<void> {
    try {
      await execution.setStatus('cancelled');
    } catch (error) {
      if (!(error instanceof ExecutionStatusRejectedError)) throw error;
      this.logger.log({ executionId, reason: error.message }, 'cancelled status not accepted');
    }
  }

  /** Kill: every worker that may run this execution's operations stops them (workflows.md §1). */
  private async cancelOperations(stored: StoredExecution): Promise<void> {
    const body = {
      service_task: { task_name: 'cancel-operation', kwargs: { execution_id: stored.id } },
    };
    const targets: string[] = [EXCHANGES.management];
    if (stored.deploymentFk !== null) {
      targets.push(...(await this.executions.agentQueues(stored.deploymentFk)));
    }
    await Promise.all(
      targets.map((exchange) =>
        this.bus
          .publish(exchange, ROUTING_KEYS.service, body, { persistent: false })
          .catch((error) => {
            this.logger.warn({ err: error, exchange }, 'cancel-operation not sent');
          }),
      ),
    );
  }
}
