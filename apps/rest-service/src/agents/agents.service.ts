import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  formatTimestamp,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { AGENT_STATES } from '@nestify/model';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { SecretCipher } from '../secrets/secret-cipher';
import { CreateAgentDto, UpdateAgentDto } from './dto/agent-body.dto';
import { AgentResponseDto } from './dto/agent-response.dto';
import { AgentRow, AgentsRepository } from './agents.repository';

/** Refuses a state that is not one of the agent states. */
export function checkAgentState(state: string): void {
  if (!(AGENT_STATES as readonly string[]).includes(state)) {
    throw new BadParametersError(`Invalid agent state: \`${state}\`.`);
  }
}

/** Agents: the processes installed on hosts, registering and updating themselves. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly cipher: SecretCipher,
  ) {}

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<AgentResponseDto>>> {
    const { items, total } = await this.agents.list(query, scope);
    return listEnvelope(
      items.map((row) => this.toResponse(row, query.getData)),
      total,
      query,
    );
  }

  async get(name: string, scope: TenantScope): Promise<AgentResponseDto> {
    return this.toResponse(await this.require(name, scope), true);
  }

  /** Registers an agent; one that already exists (reinstall, heal) is answered as it is. */
  async create(name: string, body: CreateAgentDto, scope: TenantScope): Promise<AgentResponseDto> {
    validateResourceId(name, 'name');
    checkAgentState(body.state);
    const nodeInstanceFk = await this.agents.nodeInstanceStorageId(body.node_instance_id, scope);
    if (nodeInstanceFk === undefined)
      throw new NotFoundError('NodeInstance', body.node_instance_id);
    await this.agents.insert({
      name,
      nodeInstanceFk,
      ip: body.ip ?? null,
      installMethod: body.install_method,
      system: body.system ?? null,
      version: body.version ?? '',
      state: body.state,
      rabbitmqUsername: body.rabbitmq_username ?? null,
      rabbitmqPassword: body.rabbitmq_password ? this.cipher.encrypt(body.rabbitmq_password) : null,
      rabbitmqExchange: body.rabbitmq_exchange ?? name,
      visibility: body.visibility ?? Visibility.Tenant,
      tenantId: scope.tenantId,
      creatorId: scope.userId,
    });
    return this.get(name, scope);
  }

  async update(name: string, body: UpdateAgentDto, scope: TenantScope): Promise<AgentResponseDto> {
    const agent = await this.require(name, scope);
    if (body.state) checkAgentState(body.state);
    await this.agents.update(agent.storage_id, {
      state: body.state || undefined,
      system: body.system || undefined,
      version: body.version || undefined,
    });
    return this.get(name, scope);
  }

  private async require(name: string, scope: TenantScope): Promise<AgentRow> {
    const row = await this.agents.findVisible(name, scope);
    if (!row) throw new NotFoundError('Agent', name);
    return row;
  }

  private toResponse(row: AgentRow, withCredentials: boolean): AgentResponseDto {
    const response: AgentResponseDto = {
      id: row.id,
      name: row.name,
      host_id: row.node_instance_id,
      node_instance_id: row.node_instance_id,
      ip: row.ip,
      install_method: row.install_method,
      system: row.system,
      version: row.version,
      node: row.node,
      deployment: row.deployment,
      state: row.state,
      rabbitmq_exchange: row.rabbitmq_exchange,
      created_at: formatTimestamp(row.created_at),
      updated_at: formatTimestamp(row.updated_at),
      visibility: row.visibility,
      tenant_name: row.tenant_name,
      created_by: row.created_by,
    };
    if (withCredentials) {
      response.rabbitmq_username = row.rabbitmq_username;
      response.rabbitmq_password = this.reveal(row.rabbitmq_password);
    }
    return response;
  }

  private reveal(sealed: string | null): string | null {
    if (!sealed) return sealed;
    try {
      return this.cipher.decrypt(sealed);
    } catch {
      return null; // not written by us (e.g. restored from elsewhere): never leak ciphertext
    }
  }
}
