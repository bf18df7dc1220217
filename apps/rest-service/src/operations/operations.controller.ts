import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { CreateOperationDto, UpdateOperationDto } from './dto/operation.dto';
import { OPERATION_FIELDS, OperationResponseDto } from './dto/operation-response.dto';
import { OperationsService } from './operations.service';

/** The workflow engine's stored tasks (internal; called with an execution token). */
@Controller('operations')
@TenantScoped()
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Get()
  @RequirePermission('operations')
  @ApiListResponse(OperationResponseDto)
  @ApiQuery({ name: 'graph_id', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'execution_id', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'state', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'skip_internal', required: false, schema: { type: 'boolean' } })
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<OperationResponseDto>>> {
    const { graph_id, execution_id, state, skip_internal, ...rest } = query;
    return this.operations.list(
      { graph_id, execution_id, state, skip_internal },
      parseListQuery(rest, { fields: OPERATION_FIELDS }),
      tenantScopeOf(auth),
    );
  }

  /** `{action: "update-stored"}` (deployment update): accepted, nothing to update here. */
  @Post()
  @HttpCode(204)
  @RequirePermission('operations')
  async action(): Promise<void> {}

  @Get(':id')
  @RequirePermission('operations')
  get(@Param('id') id: string, @Auth() auth: AuthContext): Promise<OperationResponseDto> {
    return this.operations.get(id, tenantScopeOf(auth));
  }

  @Put(':id')
  @HttpCode(201)
  @RequirePermission('operations')
  create(
    @Param('id') id: string,
    @Body() body: CreateOperationDto,
    @Auth() auth: AuthContext,
  ): Promise<OperationResponseDto> {
    return this.operations.create(id, body, tenantScopeOf(auth));
  }

  @Patch(':id')
  @RequirePermission('operations')
  update(
    @Param('id') id: string,
    @Body() body: UpdateOperationDto,
    @Auth() auth: AuthContext,
  ): Promise<Record<string, never>> {
    return this.operations.update(id, body, tenantScopeOf(auth));
  }

  @Delete(':id')
  @RequirePermission('operations')
  delete(@Param('id') id: string, @Auth() auth: AuthContext): Promise<OperationResponseDto> {
    return this.operations.delete(id, tenantScopeOf(auth));
  }
}
