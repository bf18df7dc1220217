import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Put,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope, pickFields } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { MultipartReceiver, ReceivedForm } from '../resources/multipart-receiver';
import { BlueprintUploadService, UploadedArchive } from './blueprint-upload.service';
import { BlueprintsService } from './blueprints.service';
import { BLUEPRINT_FIELDS, BlueprintResponseDto } from './dto/blueprint-response.dto';
import { SetVisibilityDto } from './dto/set-visibility.dto';
import { readUploadParams } from './upload-params';

const LIST_SPEC = { fields: BLUEPRINT_FIELDS, searchField: 'id' };

/** The archive of a PUT: the multipart file, else a raw body (legacy clients), else none. */
function archiveOf(
  form: ReceivedForm | undefined,
  req: FastifyRequest,
): UploadedArchive | undefined {
  if (form) return form.files.length ? { path: form.files[0].path } : undefined;
  const length = Number(req.headers['content-length'] ?? 0);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  return chunked || length > 0 ? { stream: req.raw } : undefined;
}

@Controller('blueprints')
@TenantScoped()
export class BlueprintsController {
  constructor(
    private readonly blueprints: BlueprintsService,
    private readonly uploads: BlueprintUploadService,
    private readonly multipart: MultipartReceiver,
  ) {}

  @Get()
  @RequirePermission('blueprint_list')
  @ApiListResponse(BlueprintResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<BlueprintResponseDto>>> {
    const filterId = typeof query._filter_id === 'string' ? query._filter_id : undefined;
    return this.blueprints.list(
      parseListQuery(query, LIST_SPEC),
      tenantScopeOf(auth),
      [],
      filterId,
    );
  }

  @Get(':id')
  @RequirePermission('blueprint_get')
  async get(
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<BlueprintResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    return pickFields(await this.blueprints.get(id, tenantScopeOf(auth)), fields);
  }

  /**
   * Upload: multipart (`params` JSON + `blueprint_archive` file) or, for legacy clients, the
   * parameters in the query string and the archive as the raw body.
   */
  @Put(':id')
  @HttpCode(201)
  @RequirePermission('blueprint_upload')
  async upload(
    @Param('id') id: string,
    @Query() query: RawQuery,
    @Req() req: FastifyRequest,
    @Auth() auth: AuthContext,
  ): Promise<BlueprintResponseDto> {
    const scope = tenantScopeOf(auth);
    const form = await this.multipart.receive(req, { fileField: 'blueprint_archive' });
    await this.uploads.upload(
      id,
      { params: readUploadParams(form?.fields.params, query), archive: archiveOf(form, req) },
      { ...scope, username: auth.user.username },
    );
    return this.blueprints.get(id, scope);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('blueprint_delete')
  async delete(
    @Param('id') id: string,
    @Query('force') force: unknown,
    @Auth() auth: AuthContext,
  ): Promise<void> {
    await this.blueprints.delete(id, parseBoolean(force, 'force'), tenantScopeOf(auth));
  }

  @Patch(':id/set-visibility')
  @RequirePermission('resource_set_visibility')
  setVisibility(
    @Param('id') id: string,
    @Body() body: SetVisibilityDto,
    @Auth() auth: AuthContext,
  ): Promise<BlueprintResponseDto> {
    const scope = { ...tenantScopeOf(auth), username: auth.user.username };
    return this.blueprints.setVisibility(id, body.visibility, scope);
  }

  /** The archive as uploaded (the upload workflow and `cfy blueprints download` fetch it). */
  @Get(':id/archive')
  @RequirePermission('blueprint_download')
  async archive(@Param('id') id: string, @Auth() auth: AuthContext): Promise<StreamableFile> {
    const { path, filename } = await this.blueprints.archive(id, tenantScopeOf(auth));
    return new StreamableFile(createReadStream(path), {
      type: 'application/octet-stream',
      disposition: `attachment; filename=${filename}`,
    });
  }
}
