import { Body, Controller, Get, HttpCode, Param, Patch, Put, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { CreateAgentDto, UpdateAgentDto } from './dto/agent-body.dto';
import { AGENT_FIELDS, AGENT_FILTER_ALIASES, AgentResponseDto } from './dto/agent-response.dto';
import { AgentsService } from './agents.service';

const LIST_SPEC = { fields: [...AGENT_FIELDS, ...AGENT_FILTER_ALIASES], searchField: 'name' };

@Controller('agents')
@TenantScoped()
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  /** Filters: deployment_id, node_ids, node_instance_ids, install_methods, state…; `_search` on name. */
  @Get()
  @RequirePermission('agent_list')
  @ApiListResponse(AgentResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<AgentResponseDto>>> {
    return this.agents.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  @Get(':name')
  @RequirePermission('agent_get')
  get(@Param('name') name: string, @Auth() auth: AuthContext): Promise<AgentResponseDto> {
    return this.agents.get(name, tenantScopeOf(auth));
  }

  @Put(':name')
  @HttpCode(200)
  @RequirePermission('agent_create')
  create(
    @Param('name') name: string,
    @Body() body: CreateAgentDto,
    @Auth() auth: AuthContext,
  ): Promise<AgentResponseDto> {
    return this.agents.create(name, body, tenantScopeOf(auth));
  }

  @Patch(':name')
  @RequirePermission('agent_update')
  update(
    @Param('name') name: string,
    @Body() body: UpdateAgentDto,
    @Auth() auth: AuthContext,
  ): Promise<AgentResponseDto> {
    return this.agents.update(name, body, tenantScopeOf(auth));
  }
}
