import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { ExecutionActionDto } from './dto/execution-action.dto';
import { EXECUTION_FIELDS, ExecutionResponseDto } from './dto/execution-response.dto';
import { PurgeExecutionsDto } from './dto/purge-executions.dto';
import { PurgeResultDto } from './dto/purge-result.dto';
import { StartExecutionDto } from './dto/start-execution.dto';
import { UpdateExecutionStatusDto } from './dto/update-execution-status.dto';
import { ExecutionsService } from './executions.service';

const LIST_SPEC = { fields: EXECUTION_FIELDS };

/** Splits the executions list's own `_`-parameters from the shared ones. */
function listOptions(query: RawQuery) {
  const { _include_system_workflows, _group_id, ...rest } = query;
  return {
    rest,
    includeSystem: parseBoolean(_include_system_workflows, '_include_system_workflows'),
    groupId: typeof _group_id === 'string' ? _group_id : undefined,
  };
}

@Controller('executions')
@TenantScoped()
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get()
  @RequirePermission('execution_list')
  @ApiListResponse(ExecutionResponseDto)
  @ApiQuery({ name: '_include_system_workflows', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: '_group_id', required: false, schema: { type: 'string' } })
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<ExecutionResponseDto>>> {
    const { rest, includeSystem, groupId } = listOptions(query);
    return this.executions.list(parseListQuery(rest, LIST_SPEC), tenantScopeOf(auth), {
      includeSystem,
      groupId,
    });
  }

  @Post()
  @RequirePermission('execution_start')
  @ApiErrorResponse(
    400,
    'nonexistent_workflow_error, illegal_execution_parameters_error, unavailable_workflow_error, existing_running_execution_error, deployment_environment_creation_*',
  )
  @ApiErrorResponse(500, 'The execution could not be published and was marked failed')
  start(@Body() body: StartExecutionDto, @Auth() auth: AuthContext): Promise<ExecutionResponseDto> {
    return this.executions.start(body, tenantScopeOf(auth));
  }

  @Delete()
  @HttpCode(200)
  @RequirePermission('execution_delete')
  purge(
    @Body() body: PurgeExecutionsDto,
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<PurgeResultDto> {
    const { rest } = listOptions(query);
    return this.executions.purge(body ?? {}, parseListQuery(rest, LIST_SPEC), tenantScopeOf(auth));
  }

  @Get(':id')
  @RequirePermission('execution_get')
  get(
    @Param('id') id: string,
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<Partial<ExecutionResponseDto>> {
    const { include } = parseListQuery({ _include: query._include }, LIST_SPEC);
    return this.executions.get(id, tenantScopeOf(auth), include);
  }

  @Post(':id')
  @HttpCode(200)
  @RequirePermission('execution_cancel')
  @ApiErrorResponse(409, 'Resume of an execution that is not failed, cancelled or started')
  act(
    @Param('id') id: string,
    @Body() body: ExecutionActionDto,
    @Auth() auth: AuthContext,
  ): Promise<ExecutionResponseDto> {
    return this.executions.act(id, body.action, tenantScopeOf(auth));
  }

  @Patch(':id')
  @RequirePermission('execution_status_update')
  updateStatus(
    @Param('id') id: string,
    @Body() body: UpdateExecutionStatusDto,
    @Auth() auth: AuthContext,
  ): Promise<ExecutionResponseDto> {
    return this.executions.updateStatus(id, body, tenantScopeOf(auth));
  }

  @Get(':id/should-start')
  @RequirePermission('execution_should_start')
  shouldStart(@Param('id') id: string, @Auth() auth: AuthContext): Promise<boolean> {
    return this.executions.shouldStart(id, tenantScopeOf(auth));
  }
}
