import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { formatTimestamp, NestifyError, NotFoundError } from '@nestify/common';
import { END_EXECUTION_STATUSES, ExecutionStatus } from '@nestify/model';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery, parseBoolean } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { ExecutionsService } from '../executions/executions.service';
import {
  CreateExecutionGroupDto,
  ExecutionGroupAction,
  UpdateExecutionGroupDto,
} from './dto/execution-group-body.dto';
import { ExecutionGroupResponseDto } from './dto/execution-group-response.dto';
import { executionGroupStatus } from './execution-group-status';
import {
  ExecutionGroupRow,
  ExecutionGroupsRepository,
  GroupMember,
} from './execution-groups.repository';

const DEFAULT_CONCURRENCY = 5;
const RESUMABLE = new Set<string>([ExecutionStatus.Failed, ExecutionStatus.Cancelled]);

function toResponse(row: ExecutionGroupRow, members?: GroupMember[]): ExecutionGroupResponseDto {
  const { group } = row;
  const response: ExecutionGroupResponseDto = {
    id: group.id,
    workflow_id: group.workflowId,
    deployment_group_id: row.deploymentGroupId,
    concurrency: group.concurrency,
    created_at: formatTimestamp(group.createdAt),
    visibility: group.visibility,
    tenant_name: row.tenantName,
    created_by: row.creatorName,
  };
  if (members) {
    response.execution_ids = members.map((member) => member.id);
    response.status = executionGroupStatus(members.map((member) => member.status));
  }
  return response;
}

/**
 * Execution groups: one workflow over every deployment of a deployment group, at most
 * `concurrency` members running at once (the executions queue does the pacing, see
 * ExecutionGroupMembersRepository), with group-wide cancel/resume and result groups.
 */
@Injectable()
export class ExecutionGroupsService {
  constructor(
    private readonly groups: ExecutionGroupsRepository,
    private readonly executions: ExecutionsService,
  ) {}

  async get(id: string, scope: TenantScope): Promise<ExecutionGroupResponseDto> {
    return this.render(await this.require(id, scope));
  }

  /** Lists groups; member ids and status only with `_get_data` (they cost a query). */
  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<ExecutionGroupResponseDto>>> {
    const { items, total } = await this.groups.list(query, scope);
    const members = query.getData
      ? await this.groups.members(items.map((row) => row.group.storageId))
      : undefined;
    const rendered = items.map((row) => toResponse(row, members?.get(row.group.storageId)));
    return listEnvelope(rendered, total, query);
  }

  /**
   * Creates the group and one execution per deployment through the executions start path: the
   * first `concurrency` start (or queue behind their deployment's running execution), the rest
   * are created queued. A deployment that refuses the workflow (unknown workflow, unavailable,
   * environment not created…) gets no execution; the reason is logged on the group instead.
   */
  async create(
    body: CreateExecutionGroupDto,
    scope: TenantScope,
  ): Promise<ExecutionGroupResponseDto> {
    const source = await this.groups.sourceGroup(body.deployment_group_id, scope);
    if (!source) throw new NotFoundError('DeploymentGroup', body.deployment_group_id);
    const concurrency = body.concurrency ?? DEFAULT_CONCURRENCY;
    const group = await this.groups.insert({
      id: randomUUID(),
      workflowId: body.workflow_id,
      concurrency,
      deploymentGroupFk: source.storageId,
      visibility: source.visibility,
      tenantId: scope.tenantId,
      creatorId: scope.userId,
    });
    const force = parseBoolean(body.force, 'force');
    let created = 0;
    for (const deploymentId of source.deploymentIds) {
      const parameters = {
        ...(body.default_parameters ?? {}),
        ...(body.parameters?.[deploymentId] ?? {}),
      };
      try {
        await this.executions.start(
          {
            deployment_id: deploymentId,
            workflow_id: body.workflow_id,
            parameters,
            force,
            queue: true,
          },
          scope,
          {
            queued: created >= concurrency,
            onCreated: (em, executionStorageId) =>
              this.groups.link(em, group.storageId, executionStorageId),
          },
        );
        created += 1;
      } catch (error) {
        if (!(error instanceof NestifyError)) throw error;
        await this.groups.log(group, `${deploymentId}: ${error.message}`);
      }
    }
    return this.get(group.id, scope);
  }

  /** Applies cancel/force-cancel/kill to every member not ended, or resumes failed/cancelled ones. */
  async act(
    id: string,
    action: ExecutionGroupAction,
    scope: TenantScope,
  ): Promise<ExecutionGroupResponseDto> {
    const row = await this.require(id, scope);
    const members =
      (await this.groups.members([row.group.storageId])).get(row.group.storageId) ?? [];
    const resuming = action === 'resume' || action === 'force-resume';
    for (const member of members) {
      const applies = resuming
        ? RESUMABLE.has(member.status)
        : !END_EXECUTION_STATUSES.has(member.status as ExecutionStatus);
      if (applies) await this.executions.act(member.id, action, scope);
    }
    return this.render(row);
  }

  /** Sets the success/failure deployment groups (ended members join at once) and concurrency. */
  async update(
    id: string,
    body: UpdateExecutionGroupDto,
    scope: TenantScope,
  ): Promise<ExecutionGroupResponseDto> {
    const row = await this.require(id, scope);
    const { group } = row;
    const changes: { successGroupFk?: number; failedGroupFk?: number; concurrency?: number } = {};
    if (body.success_group_id) {
      changes.successGroupFk = await this.deploymentGroupFk(body.success_group_id, scope);
    }
    if (body.failure_group_id) {
      changes.failedGroupFk = await this.deploymentGroupFk(body.failure_group_id, scope);
    }
    const widened =
      body.concurrency !== undefined &&
      body.concurrency !== null &&
      body.concurrency > group.concurrency;
    if (body.concurrency !== undefined && body.concurrency !== null) {
      changes.concurrency = body.concurrency;
    }
    await this.groups.update(group.storageId, changes);
    if (changes.successGroupFk !== undefined) {
      await this.groups.addEndedMembersTo(
        group.storageId,
        changes.successGroupFk,
        ExecutionStatus.Terminated,
      );
    }
    if (changes.failedGroupFk !== undefined) {
      await this.groups.addEndedMembersTo(
        group.storageId,
        changes.failedGroupFk,
        ExecutionStatus.Failed,
      );
    }
    // More room in the group: queued members may start now.
    if (widened) await this.executions.startQueued();
    return this.get(id, scope);
  }

  private async render(row: ExecutionGroupRow): Promise<ExecutionGroupResponseDto> {
    const members = await this.groups.members([row.group.storageId]);
    return toResponse(row, members.get(row.group.storageId) ?? []);
  }

  private async deploymentGroupFk(id: string, scope: TenantScope): Promise<number> {
    const source = await this.groups.sourceGroup(id, scope);
    if (!source) throw new NotFoundError('DeploymentGroup', id);
    return source.storageId;
  }

  private async require(id: string, scope: TenantScope): Promise<ExecutionGroupRow> {
    const row = await this.groups.findVisible(id, scope);
    if (!row) throw new NotFoundError('ExecutionGroup', id);
    return row;
  }
}
