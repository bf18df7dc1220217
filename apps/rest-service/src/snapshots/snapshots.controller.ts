import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { BadParametersError } from '@nestify/common';
import { Auth, AuthContext, Public, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope, pickFields } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ExecutionResponseDto } from '../executions/dto/execution-response.dto';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { CreateSnapshotDto, RestoreSnapshotDto } from './dto/snapshot-body.dto';
import {
  SNAPSHOT_FIELDS,
  SnapshotResponseDto,
  SnapshotStatusResponseDto,
} from './dto/snapshot-response.dto';
import { SnapshotCaller, SnapshotsService } from './snapshots.service';

const LIST_SPEC = { fields: SNAPSHOT_FIELDS, searchField: 'id' };

function callerOf(auth: AuthContext): SnapshotCaller {
  return { ...tenantScopeOf(auth), username: auth.user.username };
}

@Controller('snapshots')
@TenantScoped()
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Get()
  @RequirePermission('snapshot_list')
  @ApiListResponse(SnapshotResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<SnapshotResponseDto>>> {
    return this.snapshots.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  @Get(':id')
  @RequirePermission('snapshot_get')
  async get(
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<SnapshotResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    return pickFields(await this.snapshots.get(id, tenantScopeOf(auth)), fields);
  }

  /**
   * Starts `create_snapshot`: a pg_dump of the database plus the file-server resources, packed as
   * one archive. Answers at once with the execution; the snapshot is `creating` until it ends.
   */
  @Put(':id')
  @HttpCode(201)
  @RequirePermission('snapshot_create')
  @ApiCreatedResponse({ type: ExecutionResponseDto })
  @ApiErrorResponse(409, 'A snapshot with that id exists (`conflict_error`)')
  @ApiErrorResponse(400, 'No DATABASE_URL, or a snapshot job runs (`illegal_action_error`)')
  create(
    @Param('id') id: string,
    @Body() body: CreateSnapshotDto,
    @Auth() auth: AuthContext,
  ): Promise<Partial<ExecutionResponseDto>> {
    return this.snapshots.create(id, body ?? {}, callerOf(auth));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('snapshot_delete')
  async delete(@Param('id') id: string, @Auth() auth: AuthContext): Promise<void> {
    await this.snapshots.delete(id, tenantScopeOf(auth));
  }

  @Get(':id/archive')
  @RequirePermission('snapshot_download')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(@Param('id') id: string, @Auth() auth: AuthContext): Promise<StreamableFile> {
    const { path, filename } = await this.snapshots.archive(id, tenantScopeOf(auth));
    return new StreamableFile(createReadStream(path), {
      type: 'application/octet-stream',
      disposition: `attachment; filename="${filename}"`,
    });
  }

  /** Uploads an archive made by `create` (here or on another manager) as the raw body. */
  @Put(':id/archive')
  @HttpCode(201)
  @RequirePermission('snapshot_upload')
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: SnapshotResponseDto })
  @ApiErrorResponse(409, 'A snapshot with that id exists (`conflict_error`)')
  upload(
    @Param('id') id: string,
    @Req() req: FastifyRequest,
    @Auth() auth: AuthContext,
  ): Promise<SnapshotResponseDto> {
    if (!/^application\/octet-stream/i.test(req.headers['content-type'] ?? '')) {
      throw new BadParametersError('Send the snapshot archive as application/octet-stream');
    }
    return this.snapshots.upload(id, req.raw, callerOf(auth));
  }

  /**
   * Starts `restore_snapshot`: the database is replaced by the archive's dump (one transaction)
   * and the file-server resources by the archive's. Answers at once with the execution.
   */
  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('snapshot_restore')
  @ApiOkResponse({ type: ExecutionResponseDto })
  @ApiErrorResponse(400, 'The manager has blueprints or deployments and `force` is not set')
  restore(
    @Param('id') id: string,
    @Body() body: RestoreSnapshotDto,
    @Auth() auth: AuthContext,
  ): Promise<Partial<ExecutionResponseDto>> {
    return this.snapshots.restore(id, body ?? {}, callerOf(auth));
  }
}

/** Unauthenticated, as in Cloudify: whether a snapshot is being created or restored. */
@Controller('snapshot-status')
export class SnapshotStatusController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: SnapshotStatusResponseDto })
  status(): SnapshotStatusResponseDto {
    return this.snapshots.status();
  }
}
