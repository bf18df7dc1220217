import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope, pickFields } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { MultipartReceiver, ReceivedForm } from '../resources/multipart-receiver';
import { PLUGIN_FIELDS, PluginResponseDto } from './dto/plugin-response.dto';
import { SetPluginVisibilityDto } from './dto/set-plugin-visibility.dto';
import { readPluginUploadParams } from './plugin-upload-params';
import { PluginUploadService, UploadedPluginArchive } from './plugin-upload.service';
import { PluginsService } from './plugins.service';

const LIST_SPEC = { fields: PLUGIN_FIELDS, searchField: 'package_name' };

/** The archive of a POST: the multipart file, else the raw body (Cloudify's client), else none. */
function archiveOf(
  form: ReceivedForm | undefined,
  req: FastifyRequest,
): UploadedPluginArchive | undefined {
  if (form) return form.files.length ? { path: form.files[0].path } : undefined;
  const length = Number(req.headers['content-length'] ?? 0);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  return chunked || length > 0 ? { stream: req.raw } : undefined;
}

function stream(path: string, filename: string, type: string): StreamableFile {
  return new StreamableFile(createReadStream(path), {
    type,
    disposition: `attachment; filename="${filename}"`,
  });
}

@Controller('plugins')
@TenantScoped()
export class PluginsController {
  constructor(
    private readonly plugins: PluginsService,
    private readonly uploads: PluginUploadService,
    private readonly multipart: MultipartReceiver,
  ) {}

  @Get()
  @RequirePermission('plugin_list')
  @ApiListResponse(PluginResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<PluginResponseDto>>> {
    return this.plugins.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  /**
   * Upload: the package as the raw body (what Cloudify's client sends) or as the one file of a
   * multipart request; `visibility`, `title`, `private_resource` in the query or form fields.
   * The package: a zip with plugin.yaml at its top (and optionally one wagon), or an npm tarball
   * of a TypeScript plugin (`package/package.json` + `package/plugin.yaml`).
   */
  @Post()
  @HttpCode(201)
  @RequirePermission('plugin_upload')
  @ApiConsumes('application/octet-stream', 'multipart/form-data')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'visibility', required: false, enum: ['private', 'tenant', 'global'] })
  @ApiQuery({ name: 'title', required: false })
  @ApiQuery({ name: 'private_resource', required: false, type: Boolean })
  @ApiCreatedResponse({ type: PluginResponseDto })
  @ApiErrorResponse(400, 'Not a plugin package (`invalid_plugin_error`) or no archive')
  @ApiErrorResponse(409, 'That package and version is already uploaded (`conflict_error`)')
  async upload(
    @Query() query: RawQuery,
    @Req() req: FastifyRequest,
    @Auth() auth: AuthContext,
  ): Promise<PluginResponseDto> {
    const scope = tenantScopeOf(auth);
    const form = await this.multipart.receive(req);
    const formFields = form?.files.length ? form.fields : {};
    const id = await this.uploads.upload(
      readPluginUploadParams(query, formFields),
      archiveOf(form, req),
      { ...scope, username: auth.user.username },
    );
    return this.plugins.get(id, scope);
  }

  @Get(':id')
  @RequirePermission('plugin_get')
  async get(
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<PluginResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    return pickFields(await this.plugins.get(id, tenantScopeOf(auth)), fields);
  }

  /** `force` may come in the query or, as Cloudify's client sends it, in a JSON body. */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('plugin_delete')
  @ApiQuery({ name: 'force', required: false, type: Boolean })
  @ApiErrorResponse(405, 'An uploaded blueprint uses the plugin (`plugin_in_use`)')
  async delete(
    @Param('id') id: string,
    @Query('force') forceQuery: unknown,
    @Body() body: { force?: unknown } | undefined,
    @Auth() auth: AuthContext,
  ): Promise<void> {
    const force = parseBoolean(forceQuery, 'force') || parseBoolean(body?.force, 'force', false);
    await this.plugins.delete(id, force, tenantScopeOf(auth));
  }

  @Patch(':id/set-visibility')
  @RequirePermission('resource_set_visibility')
  setVisibility(
    @Param('id') id: string,
    @Body() body: SetPluginVisibilityDto,
    @Auth() auth: AuthContext,
  ): Promise<PluginResponseDto> {
    const scope = { ...tenantScopeOf(auth), username: auth.user.username };
    return this.plugins.setVisibility(id, body.visibility, scope);
  }

  /** The stored package: the wagon, npm tarball, or zip that was uploaded. */
  @Get(':id/archive')
  @RequirePermission('plugin_download')
  async archive(@Param('id') id: string, @Auth() auth: AuthContext): Promise<StreamableFile> {
    const { path, filename } = await this.plugins.archive(id, tenantScopeOf(auth));
    return stream(path, filename, 'application/octet-stream');
  }

  /** The plugin yaml a blueprint of `dsl_version` would import. */
  @Get(':id/yaml')
  @RequirePermission('plugin_download')
  @ApiQuery({ name: 'dsl_version', required: false, example: 'cloudify_dsl_1_4' })
  async yaml(
    @Param('id') id: string,
    @Query('dsl_version') dslVersion: unknown,
    @Auth() auth: AuthContext,
  ): Promise<StreamableFile> {
    const version = typeof dslVersion === 'string' && dslVersion ? dslVersion : undefined;
    const { path, filename } = await this.plugins.yaml(id, version, tenantScopeOf(auth));
    return stream(path, filename, 'application/x-yaml');
  }
}
