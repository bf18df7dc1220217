import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  BadParametersError,
  ConflictError,
  formatTimestamp,
  NotFoundError,
  parseTimestamp,
  Visibility,
} from '@nestify/common';
import { END_EXECUTION_STATUSES, Execution, ExecutionStatus } from '@nestify/model';
import { ListEnvelope, listEnvelope, pickFields } from '../common/list/list-envelope';
import { ListQuery, parseBoolean } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { ExecutionAction } from './dto/execution-action.dto';
import { ExecutionResponseDto } from './dto/execution-response.dto';
import { PurgeExecutionsDto } from './dto/purge-executions.dto';
import { PurgeResultDto } from './dto/purge-result.dto';
import { StartExecutionDto } from './dto/start-execution.dto';
import { UpdateExecutionStatusDto } from './dto/update-execution-status.dto';
import { ExecutionGroupMembersRepository } from '../execution-groups/execution-group-members.repository';
import { ExecutionDispatcher } from './execution-dispatcher';
import {
  DeploymentCreationError,
  DeploymentEnvironmentCreationInProgressError,
  DeploymentEnvironmentCreationPendingError,
  ExecutionDispatchError,
  InvalidExecutionUpdateStatusError,
  UnavailableWorkflowError,
} from './execution-errors';
import { buildStartMessage, newExecutionToken } from './execution-message';
import {
  assertExecutionStatus,
  decideConcurrency,
  isStatusUpdateAllowed,
  planCancel,
  resumeResetsOperations,
  statusDisplay,
} from './execution-rules';
import { DeploymentForStart, ExecutionRow, ExecutionsRepository } from './executions.repository';
import { isWorkflowAvailable } from './workflow-availability';
import { resolveWorkflow } from './workflow-lookup';
import { mergeWorkflowParameters } from './workflow-parameters';

const isEnd = (status: string) => END_EXECUTION_STATUSES.has(status as ExecutionStatus);
/** Queued executions started per dequeue round, and rounds per status change (Cloudify's). */
const DEQUEUE_BATCH = 5;
const DEQUEUE_ROUNDS = 5;
/** Cloudify's `max_concurrent_workflows` default. */
const MAX_CONCURRENT_WORKFLOWS = 20;
const DELETE_DEP_ENV = 'delete_deployment_environment';
const CREATE_DEP_ENV = 'create_deployment_environment';

export function toExecutionResponse(row: ExecutionRow): ExecutionResponseDto {
  const e = row.execution;
  return {
    id: e.id,
    workflow_id: e.workflowId,
    deployment_id: row.deploymentId,
    deployment_display_name: row.deploymentDisplayName,
    blueprint_id: e.blueprintId,
    status: e.status,
    status_display: statusDisplay(e.status),
    error: e.error,
    parameters: e.parameters,
    is_system_workflow: e.isSystemWorkflow,
    is_dry_run: e.isDryRun,
    created_at: formatTimestamp(e.createdAt),
    started_at: formatTimestamp(e.startedAt),
    ended_at: formatTimestamp(e.endedAt),
    scheduled_for: formatTimestamp(e.scheduledFor),
    total_operations: e.totalOperations,
    finished_operations: e.finishedOperations,
    resume: e.resume,
    allow_custom_parameters: e.allowCustomParameters,
    visibility: e.visibility,
    tenant_name: row.tenantName,
    created_by: row.creatorName,
    resource_availability: e.visibility,
    private_resource: e.visibility === Visibility.Private,
  };
}

/** Refuses workflows on a deployment whose environment is not created (yet, or at all). */
function verifyEnvironmentCreated(deployment: DeploymentForStart, workflowId: string): void {
  const create = deployment.createExecution;
  if (!create || create.status === ExecutionStatus.Terminated) return;
  if (workflowId === DELETE_DEP_ENV) return;
  if (create.status === ExecutionStatus.Pending || create.status === ExecutionStatus.Queued) {
    throw new DeploymentEnvironmentCreationPendingError(
      'Deployment environment creation is still pending, try again in a minute',
    );
  }
  if (create.status === ExecutionStatus.Started) {
    throw new DeploymentEnvironmentCreationInProgressError(
      'Deployment environment creation is still in progress, try again in a minute',
    );
  }
  if (create.status === ExecutionStatus.Failed) {
    const line = (create.error ?? '').trim().split('\n').pop();
    throw new DeploymentCreationError(
      `Can't launch executions since environment creation for deployment ${deployment.id} has failed: ${line}`,
    );
  }
  throw new DeploymentCreationError(
    `Can't launch executions since the environment creation for deployment ${deployment.id} has been cancelled [status=${create.status}]`,
  );
}

/** How a caller other than POST /executions (an execution group) wants an execution created. */
export interface StartOptions {
  /** Create it queued whatever the concurrency rules say (group members past the concurrency). */
  queued?: boolean;
  /** Runs inside the creating transaction, e.g. to link the execution to its group. */
  onCreated?: (em: EntityManager, executionStorageId: number) => Promise<void>;
}

/** A dispatch that still has to happen once its transaction committed. */
interface PendingDispatch {
  storageId: number;
  token: string;
  waitAfterFail: number;
}

/**
 * The execution rules: starting (checks, parameters, availability, concurrency, dispatch),
 * status updates from the workflow (transition table, timestamps, deployment statuses, the
 * queue), cancel/kill/resume, listing and purging.
 */
@Injectable()
export class ExecutionsService {
  private readonly logger = new Logger(ExecutionsService.name);

  constructor(
    private readonly executions: ExecutionsRepository,
    private readonly dispatcher: ExecutionDispatcher,
    private readonly groupMembers: ExecutionGroupMembersRepository,
  ) {}

  async get(
    id: string,
    scope: TenantScope,
    include?: string[],
  ): Promise<Partial<ExecutionResponseDto>> {
    return pickFields(toExecutionResponse(await this.require(id, scope)), include);
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
    options: { includeSystem: boolean; groupId?: string },
  ): Promise<ListEnvelope<Partial<ExecutionResponseDto>>> {
    const { items, total } = await this.executions.list(query, scope, options);
    return listEnvelope(items.map(toExecutionResponse), total, query);
  }

  async start(
    body: StartExecutionDto,
    scope: TenantScope,
    options: StartOptions = {},
  ): Promise<ExecutionResponseDto> {
    const unsupported = [
      'scheduled_time',
      'force_status',
      'created_by',
      'created_at',
      'started_at',
      'ended_at',
      'id',
      'error',
    ] as const;
    const given = unsupported.filter((name) => body[name] !== undefined && body[name] !== null);
    if (given.length) {
      throw new BadParametersError(`Not supported by this manager: ${given.join(', ')}`);
    }
    if (parseBoolean(body.is_system_workflow, 'is_system_workflow')) {
      throw new BadParametersError('Not supported by this manager: is_system_workflow');
    }
    const flags = {
      allowCustom: parseBoolean(body.allow_custom_parameters, 'allow_custom_parameters'),
      force: parseBoolean(body.force, 'force'),
      dryRun: parseBoolean(body.dry_run, 'dry_run'),
      queue: parseBoolean(body.queue, 'queue'),
    };
    const waitAfterFail = body.wait_after_fail ?? 600;
    const { storageId, token } = await this.executions.transaction(async (em) => {
      const deployment = await this.executions.lockDeployment(em, body.deployment_id, scope);
      if (!deployment) throw new NotFoundError('Deployment', body.deployment_id);
      verifyEnvironmentCreated(deployment, body.workflow_id);
      const workflow = resolveWorkflow(body.workflow_id, deployment.workflows, deployment.id);
      const allowCustom = flags.allowCustom || workflow.system;
      const parameters = mergeWorkflowParameters(
        body.workflow_id,
        workflow.parameters,
        body.parameters,
        allowCustom,
      );
      if (!flags.force) {
        const shape = await this.executions.deploymentShape(em, deployment.storageId);
        if (!isWorkflowAvailable(workflow.availabilityRules, shape)) {
          throw new UnavailableWorkflowError(body.workflow_id);
        }
      }
      const facts = await this.executions.concurrencyFacts(em, {
        deploymentFk: deployment.storageId,
      });
      const decision = options.queued
        ? 'queue'
        : decideConcurrency(
            {
              workflowId: body.workflow_id,
              hasDeployment: true,
              isSystemWorkflow: false,
              force: flags.force,
              queue: flags.queue,
            },
            facts,
          );
      const minted = decision === 'run' ? newExecutionToken() : undefined;
      const execution = await this.executions.insert(em, {
        id: randomUUID(),
        workflowId: body.workflow_id,
        status: decision === 'run' ? ExecutionStatus.Pending : ExecutionStatus.Queued,
        parameters: parameters as Execution['parameters'],
        error: '',
        isDryRun: flags.dryRun,
        allowCustomParameters: allowCustom,
        blueprintId: deployment.blueprintId,
        deploymentFk: deployment.storageId,
        token: minted?.hash ?? null,
        tenantId: deployment.tenantId,
        creatorId: scope.userId,
        visibility: deployment.visibility,
      });
      await options.onCreated?.(em, execution.storageId);
      return { storageId: execution.storageId, token: minted?.token };
    });
    if (token) await this.dispatchOrFail({ storageId, token, waitAfterFail });
    return toExecutionResponse(await this.executions.findByStorageId(storageId));
  }

  /**
   * Publishes the start message (after the row committed). If the broker does not take it, the
   * execution is failed with the reason rather than left pending for nobody.
   */
  private async dispatchOrFail(pending: PendingDispatch): Promise<void> {
    try {
      await this.dispatch(pending);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error, storageId: pending.storageId }, 'dispatch failed');
      await this.executions.transaction(async (em) => {
        await this.executions.update(em, pending.storageId, {
          status: ExecutionStatus.Failed,
          error: `Error dispatching execution: ${reason}`,
          endedAt: new Date(),
          token: null,
        });
      });
      throw new ExecutionDispatchError(
        `The execution could not be sent to the workflow engine and was marked failed: ${reason}`,
      );
    }
  }

  private async dispatch({ storageId, token, waitAfterFail }: PendingDispatch): Promise<void> {
    const context = await this.executions.dispatchContext(storageId);
    const { execution, deployment } = context;
    const workflow = resolveWorkflow(
      execution.workflowId,
      deployment?.workflows,
      deployment?.id ?? null,
    );
    const message = buildStartMessage(
      {
        executionId: execution.id,
        workflowId: execution.workflowId,
        taskName: workflow.taskName,
        parameters: (execution.parameters ?? {}) as Record<string, unknown>,
        dryRun: execution.isDryRun,
        isSystemWorkflow: execution.isSystemWorkflow,
        resume: execution.resume,
        waitAfterFail,
        bypassMaintenance: null,
        creator: { id: execution.creatorId, username: context.creatorName },
        tenantName: context.tenantName,
        restHost: context.restHost.length ? context.restHost : ['127.0.0.1'],
        restPort: this.dispatcher.restPort,
        deployment: deployment
          ? {
              id: deployment.id,
              displayName: deployment.displayName,
              creatorName: deployment.creatorName,
              resourceTags: deployment.resourceTags,
              blueprintId: execution.blueprintId,
              runtimeOnlyEvaluation: deployment.runtimeOnlyEvaluation,
            }
          : undefined,
        plugin: workflow.plugin ? { name: workflow.plugin } : undefined,
      },
      token,
    );
    await this.dispatcher.start(message);
  }

  /** PATCH /executions/{id}: the workflow reports a status. */
  async updateStatus(
    id: string,
    body: UpdateExecutionStatusDto,
    scope: TenantScope,
  ): Promise<ExecutionResponseDto> {
    const status = assertExecutionStatus(body.status);
    const { storageId } = (await this.require(id, scope)).execution;
    const response = await this.executions.transaction(async (em) => {
      const execution = await this.executions.lock(em, storageId);
      if (!isStatusUpdateAllowed(execution.workflowId, execution.status, status)) {
        throw new InvalidExecutionUpdateStatusError(
          `Invalid relationship - can't change status from ${execution.status} to ${status} ` +
            `for "${execution.id}" execution while running "${execution.workflowId}" workflow.`,
        );
      }
      const changes: Partial<Execution> = { status, error: body.error ?? '' };
      if (status === ExecutionStatus.Started) changes.startedAt = new Date();
      if (isEnd(status)) changes.endedAt = new Date();
      await this.executions.update(em, storageId, changes);
      Object.assign(execution, changes);
      if (status === ExecutionStatus.Started) {
        await this.executions.markDeploymentInProgress(em, execution);
      }
      if (execution.workflowId !== DELETE_DEP_ENV) {
        await this.executions.refreshDeploymentStatuses(em, execution);
      }
      if (isEnd(status)) await this.groupMembers.memberEnded(em, execution);
      const rendered = toExecutionResponse(await this.executions.findByStorageId(storageId, em));
      if (isEnd(status) && execution.workflowId === DELETE_DEP_ENV && execution.deploymentFk) {
        const force = Boolean((execution.parameters as Record<string, unknown> | null)?.force);
        if (status === ExecutionStatus.Terminated || (status === ExecutionStatus.Failed && force)) {
          await this.executions.deleteDeployment(em, execution.deploymentFk);
        }
      }
      return rendered;
    });
    if (isEnd(status)) await this.startQueued();
    return response;
  }

  /**
   * Starts what waited in the queue (rest-api.md §4): the oldest queued system execution alone,
   * else up to five oldest queued executions whose deployment is idle, one per deployment, within
   * the global limit. Each is re-validated; one that no longer may run is failed with the reason.
   */
  async startQueued(): Promise<void> {
    for (let round = 0; round < DEQUEUE_ROUNDS; round++) {
      const { toDispatch, allStarted, found } = await this.executions.transaction((em) =>
        this.pickQueued(em),
      );
      for (const pending of toDispatch) {
        try {
          await this.dispatchOrFail(pending);
        } catch (error) {
          this.logger.warn({ err: error }, 'dequeued execution could not be dispatched');
        }
      }
      if (!found || allStarted) return;
    }
  }

  private async pickQueued(
    em: EntityManager,
  ): Promise<{ toDispatch: PendingDispatch[]; allStarted: boolean; found: boolean }> {
    const system = await this.executions.oldestQueuedSystem(em);
    let candidates: { storageId: number; deploymentFk: number | null }[];
    if (system !== undefined) {
      candidates = [{ storageId: system, deploymentFk: null }];
    } else {
      candidates = await this.executions.runnableQueued(em, DEQUEUE_BATCH);
    }
    let running = await this.executions.countActive(em);
    const seen = new Set<number>();
    const toDispatch: PendingDispatch[] = [];
    let allStarted = true;
    for (const candidate of candidates) {
      if (running >= MAX_CONCURRENT_WORKFLOWS) break;
      if (candidate.deploymentFk !== null) {
        if (seen.has(candidate.deploymentFk)) continue;
        seen.add(candidate.deploymentFk);
        await this.executions.lockDeploymentRow(em, candidate.deploymentFk);
        if ((await this.executions.countActive(em, candidate.deploymentFk)) > 0) continue;
      }
      // A group member waits while its group runs as many members as its concurrency allows.
      if (await this.groupMembers.groupIsFull(em, candidate.storageId)) continue;
      const pending = await this.refreshQueued(em, candidate.storageId);
      if (pending) {
        toDispatch.push(pending);
        running += 1;
      } else {
        allStarted = false;
      }
    }
    return { toDispatch, allStarted, found: candidates.length > 0 };
  }

  /** Re-validates a queued execution and sets it pending with a new token; or fails it. */
  private async refreshQueued(
    em: EntityManager,
    storageId: number,
  ): Promise<PendingDispatch | undefined> {
    const execution = await this.executions.lock(em, storageId);
    try {
      let parameters = execution.parameters;
      if (execution.deploymentFk !== null) {
        const deployment = await this.executions.deploymentForStorageId(em, execution.deploymentFk);
        if (!deployment) throw new Error('the deployment no longer exists');
        if (
          deployment.createExecution?.status === ExecutionStatus.Failed &&
          execution.workflowId !== DELETE_DEP_ENV &&
          execution.workflowId !== CREATE_DEP_ENV
        ) {
          throw new Error('create_deployment_environment failed');
        }
        const workflow = resolveWorkflow(execution.workflowId, deployment.workflows, deployment.id);
        parameters = mergeWorkflowParameters(
          execution.workflowId,
          workflow.parameters,
          execution.parameters,
          execution.allowCustomParameters || workflow.system,
        ) as Execution['parameters'];
        if (!execution.resume) {
          const shape = await this.executions.deploymentShape(em, deployment.storageId);
          if (!isWorkflowAvailable(workflow.availabilityRules, shape)) {
            throw new UnavailableWorkflowError(execution.workflowId);
          }
        }
      }
      const minted = newExecutionToken();
      await this.executions.update(em, storageId, {
        status: ExecutionStatus.Pending,
        parameters,
        token: minted.hash,
      });
      return { storageId, token: minted.token, waitAfterFail: 600 };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ executionId: execution.id, reason }, 'could not dequeue execution');
      await this.executions.update(em, storageId, {
        status: ExecutionStatus.Failed,
        error: `Error dequeueing execution: ${reason}`,
        endedAt: new Date(),
      });
      return undefined;
    }
  }

  /** POST /executions/{id} `{action}`. */
  async act(
    id: string,
    action: ExecutionAction,
    scope: TenantScope,
  ): Promise<ExecutionResponseDto> {
    if (action === 'resume' || action === 'force-resume') {
      return this.resume(id, action === 'force-resume', scope);
    }
    const cancelAction = action === 'requeue' ? 'cancel' : action;
    const { storageId } = (await this.require(id, scope)).execution;
    const { notify, tenantName, killToken } = await this.executions.transaction(async (em) => {
      const execution = await this.executions.lock(em, storageId);
      const plan = planCancel(execution.id, execution.status, cancelAction);
      const waiting = plan.status === ExecutionStatus.Cancelled;
      const changes: Partial<Execution> = { status: plan.status, error: '' };
      if (waiting) changes.endedAt = new Date();
      // A killed workflow's token stops working at once; only the mgmtworker gets the new one,
      // in the kill message, to report the execution cancelled.
      const minted = plan.kill ? newExecutionToken() : undefined;
      if (minted) changes.token = minted.hash;
      await this.executions.update(em, storageId, changes);
      Object.assign(execution, changes);
      await this.executions.refreshDeploymentStatuses(em, execution);
      return { notify: !waiting, tenantName: scope.tenantName, killToken: minted?.token };
    });
    if (notify) {
      await this.dispatcher.cancel({
        action: cancelAction,
        execution_id: id,
        tenant: { name: tenantName },
        ...(killToken ? { execution_token: killToken } : {}),
      });
    }
    return toExecutionResponse(await this.executions.findByStorageId(storageId));
  }

  private async resume(
    id: string,
    force: boolean,
    scope: TenantScope,
  ): Promise<ExecutionResponseDto> {
    const { storageId } = (await this.require(id, scope)).execution;
    const token = await this.executions.transaction(async (em) => {
      const execution = await this.executions.lock(em, storageId);
      if (resumeResetsOperations(execution.status)) {
        await this.executions.resetOperations(em, storageId, force);
      } else if (force) {
        throw new ConflictError(
          `Cannot force-resume execution: \`${execution.id}\` in state: \`${execution.status}\``,
        );
      } else if (execution.status !== ExecutionStatus.Started) {
        throw new ConflictError(
          `Cannot resume execution: \`${execution.id}\` in state: \`${execution.status}\``,
        );
      }
      const minted = newExecutionToken();
      await this.executions.update(em, storageId, {
        status: ExecutionStatus.Pending,
        endedAt: null,
        resume: true,
        token: minted.hash,
      });
      return minted.token;
    });
    await this.dispatchOrFail({ storageId, token, waitAfterFail: 600 });
    return toExecutionResponse(await this.executions.findByStorageId(storageId));
  }

  /** GET /executions/{id}/should-start: whether nothing blocks it now. */
  async shouldStart(id: string, scope: TenantScope): Promise<boolean> {
    const { execution } = await this.require(id, scope);
    return this.executions.transaction(async (em) => {
      const facts = await this.executions.concurrencyFacts(em, {
        deploymentFk: execution.deploymentFk,
        excludeStorageId: execution.storageId,
        createdBefore: execution.createdAt,
      });
      const decision = decideConcurrency(
        {
          workflowId: execution.workflowId,
          hasDeployment: execution.deploymentFk !== null,
          isSystemWorkflow: execution.isSystemWorkflow,
          force: false,
          queue: true,
        },
        facts,
      );
      return decision === 'run';
    });
  }

  /**
   * DELETE /executions: deletes ended executions matching the filters — all, those created before
   * `to_datetime`, or all but the newest `keep_last` — always keeping one successful
   * create_deployment_environment per deployment.
   */
  async purge(
    body: PurgeExecutionsDto,
    query: ListQuery,
    scope: TenantScope,
  ): Promise<PurgeResultDto> {
    if (body.keep_last !== undefined && body.to_datetime !== undefined) {
      throw new BadParametersError(
        'Must provide either a `to_datetime` timestamp or a `keep_last` number of executions to keep',
      );
    }
    const before = body.to_datetime !== undefined ? parseTimestamp(body.to_datetime) : undefined;
    if (before === null) throw new BadParametersError(`Invalid to_datetime '${body.to_datetime}'`);
    for (const status of query.filters.status ?? []) {
      if (!isEnd(status)) {
        throw new BadParametersError(
          `Can't filter by execution status \`${status}\`. Allowed statuses are: ${[...END_EXECUTION_STATUSES].join(', ')}`,
        );
      }
    }
    const rows = await this.executions.endedForPurge(query, scope);
    const creations = new Map<string | null, number>();
    for (const { execution, deploymentId } of rows) {
      if (
        execution.workflowId === CREATE_DEP_ENV &&
        execution.status === ExecutionStatus.Terminated
      ) {
        creations.set(deploymentId, (creations.get(deploymentId) ?? 0) + 1);
      }
    }
    const deletable = ({ execution, deploymentId }: ExecutionRow) => {
      if (execution.workflowId !== CREATE_DEP_ENV) return true;
      const count = creations.get(deploymentId) ?? 0;
      if (count <= 1) return false;
      creations.set(deploymentId, count - 1);
      return true;
    };
    const maxToDelete = body.keep_last !== undefined ? rows.length - body.keep_last : rows.length;
    const doomed: number[] = [];
    for (const row of rows) {
      if (doomed.length >= maxToDelete) break;
      if (before && !(row.execution.createdAt < before)) continue;
      if (deletable(row)) doomed.push(row.execution.storageId);
    }
    await this.executions.deleteMany(doomed);
    return {
      items: [{ count: doomed.length }],
      metadata: { pagination: { total: 1, size: query.size, offset: query.offset } },
    };
  }

  private async require(id: string, scope: TenantScope): Promise<ExecutionRow> {
    const row = await this.executions.findVisible(id, scope);
    if (!row) throw new NotFoundError('Execution', id);
    return row;
  }
}
