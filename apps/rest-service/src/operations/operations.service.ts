import { Injectable } from '@nestjs/common';
import { BadParametersError, formatTimestamp, NotFoundError, Visibility } from '@nestify/common';
import { isTerminatedOperationState, NOP_OPERATION_TYPE } from '@nestify/model';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery, parseBoolean } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { CreateOperationDto, UpdateOperationDto } from './dto/operation.dto';
import { OperationResponseDto } from './dto/operation-response.dto';
import { OperationRow, OperationsRepository } from './operations.repository';
import { taskEvent } from './task-events';

function toResponse(row: OperationRow): OperationResponseDto {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    type: row.type,
    dependencies: row.dependencies,
    parameters: row.parameters,
    manager_name: row.manager_name,
    agent_name: row.agent_name,
    tasks_graph_id: row.tasks_graph_id,
    execution_id: row.execution_id,
    created_at: formatTimestamp(row.created_at),
    visibility: row.visibility as Visibility,
    tenant_name: row.tenant_name,
    created_by: row.created_by,
  };
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * Stored workflow tasks. A state change into a terminated state counts once towards the
 * execution's finished operations; succeeded node-state and node-event tasks write their effect;
 * remote and subgraph tasks get their task event.
 */
@Injectable()
export class OperationsService {
  constructor(private readonly operations: OperationsRepository) {}

  async get(id: string, scope: TenantScope): Promise<OperationResponseDto> {
    const row = await this.operations.find(id, scope);
    if (!row) throw new NotFoundError('Operation', id);
    return toResponse(row);
  }

  async list(
    raw: { graph_id?: unknown; execution_id?: unknown; state?: unknown; skip_internal?: unknown },
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<OperationResponseDto>>> {
    const graphId = typeof raw.graph_id === 'string' ? raw.graph_id : undefined;
    const executionId = typeof raw.execution_id === 'string' ? raw.execution_id : undefined;
    if (graphId && executionId) {
      throw new BadParametersError('Pass either graph_id or execution_id, not both');
    }
    if (!graphId && !executionId) {
      throw new BadParametersError('Missing required param: graph_id or execution_id');
    }
    const filter: Parameters<OperationsRepository['list']>[0] = {};
    if (graphId) {
      const graph = await this.operations.findGraph(graphId, scope);
      if (!graph) throw new NotFoundError('TasksGraph', graphId);
      filter.graphStorageId = graph.storageId;
    } else if (executionId) {
      const storageId = await this.operations.findExecutionStorageId(executionId, scope);
      if (storageId === undefined) throw new NotFoundError('Execution', executionId);
      filter.executionStorageId = storageId;
    }
    if (typeof raw.state === 'string') filter.state = raw.state;
    if (parseBoolean(raw.skip_internal, 'skip_internal')) {
      filter.types = ['SubgraphTask', 'RemoteWorkflowTask'];
    }
    const { items, total } = await this.operations.list(filter, {
      size: query.size,
      offset: query.offset,
      all: query.getAllResults,
    });
    return listEnvelope(items.map(toResponse), total, query);
  }

  /** PUT /operations/{id}: adds one pending task to a graph (and to the execution's total). */
  async create(
    id: string,
    body: CreateOperationDto,
    scope: TenantScope,
  ): Promise<OperationResponseDto> {
    const graph = await this.operations.findGraph(body.graph_id, scope);
    if (!graph) throw new NotFoundError('TasksGraph', body.graph_id);
    await this.operations.transaction(async (em) => {
      await this.operations.insert(em, {
        id,
        name: body.name,
        type: body.type ?? null,
        dependencies: body.dependencies,
        parameters: body.parameters ?? null,
        graphStorageId: graph.storageId,
        tenantId: graph.tenantId,
        creatorId: graph.creatorId,
        visibility: graph.visibility,
      });
      await this.operations.addToCounts(em, graph.executionStorageId, 0, 1);
    });
    return this.get(id, scope);
  }

  /** PATCH /operations/{id}: `{}` once the new state and its consequences are stored. */
  async update(
    id: string,
    body: UpdateOperationDto,
    scope: TenantScope,
  ): Promise<Record<string, never>> {
    await this.operations.transaction(async (em) => {
      const op = await this.operations.find(id, scope, em, true);
      if (!op) throw new NotFoundError('Operation', id);
      const parameters: Json = { ...(op.parameters ?? {}) };
      if (
        body.exception !== undefined &&
        body.exception !== null &&
        parameters.error === undefined
      ) {
        parameters.error = String(body.exception);
      }
      const managerName = body.manager_name ?? null;
      const agentName = body.agent_name ?? null;
      await this.operations.update(em, op.storage_id, {
        state: body.state,
        managerName,
        agentName,
        parameters: op.parameters === null && parameters.error === undefined ? null : parameters,
      });
      const owner = {
        executionStorageId: op.execution_storage_id,
        tenantId: op.tenant_id,
        creatorId: op.creator_id,
        visibility: op.visibility,
        managerName,
        agentName,
      };
      const kwargs = asObject(parameters.task_kwargs);
      if (body.state === 'succeeded' && kwargs) {
        if (
          op.type === 'SetNodeInstanceStateTask' &&
          typeof kwargs.node_instance_id === 'string' &&
          typeof kwargs.state === 'string'
        ) {
          await this.operations.setNodeInstanceState(
            em,
            op.tenant_id,
            kwargs.node_instance_id,
            kwargs.state,
          );
        }
        if (op.type === 'SendNodeEventTask' && typeof kwargs.event === 'string') {
          await this.operations.insertEvent(em, {
            ...owner,
            eventType: 'workflow_node_event',
            message: kwargs.event,
            operation: null,
            nodeId: typeof kwargs.node_instance_id === 'string' ? kwargs.node_instance_id : null,
            sourceId: null,
            targetId: null,
            errorCauses: null,
          });
        }
      }
      const event = taskEvent({
        type: op.type,
        name: op.name,
        state: body.state,
        exception: body.exception,
        currentRetries: Number(parameters.current_retries ?? 0) || 0,
        totalRetries: Number(parameters.total_retries ?? 0) || 0,
      });
      if (event) {
        const context = asObject(asObject(kwargs?.kwargs)?.__cloudify_context) ?? {};
        const str = (value: unknown) => (typeof value === 'string' ? value : null);
        await this.operations.insertEvent(em, {
          ...owner,
          ...event,
          operation: str(asObject(context.operation)?.name),
          nodeId: str(context.node_id),
          sourceId: str(context.source_id),
          targetId: str(context.target_id),
          errorCauses: body.exception_causes,
        });
      }
      const counted = op.type !== NOP_OPERATION_TYPE;
      if (
        counted &&
        !isTerminatedOperationState(op.state) &&
        isTerminatedOperationState(body.state)
      ) {
        await this.operations.addToCounts(em, op.execution_storage_id, 1, 0);
      }
    });
    return {};
  }

  /** DELETE /operations/{id}: removes it and takes it out of the execution's counters. */
  async delete(id: string, scope: TenantScope): Promise<OperationResponseDto> {
    return this.operations.transaction(async (em) => {
      const op = await this.operations.find(id, scope, em, true);
      if (!op) throw new NotFoundError('Operation', id);
      if (op.type !== NOP_OPERATION_TYPE) {
        const finished = isTerminatedOperationState(op.state) ? -1 : 0;
        await this.operations.addToCounts(em, op.execution_storage_id, finished, -1);
      }
      await this.operations.delete(em, op.storage_id);
      return toResponse(op);
    });
  }
}
