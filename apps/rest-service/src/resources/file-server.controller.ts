import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { BLUEPRINTS_FOLDER, FileServerService } from './file-server.service';

/**
 * The file server (`/resources/…`, outside the API prefix, as Cloudify's nginx serves it): the
 * extracted files of blueprints. Authenticated like every route; a caller reads only the folder
 * of the tenant it works in, and never outside it.
 */
@Controller('resources')
@TenantScoped()
export class FileServerController {
  constructor(private readonly files: FileServerService) {}

  // Fastify's wildcard: unnamed, read as the `*` parameter.
  @Get(`${BLUEPRINTS_FOLDER}/:tenant/:id/*`)
  @RequirePermission('file_server_auth')
  async blueprintFile(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @Param('*') path: string,
    @Auth() auth: AuthContext,
  ): Promise<StreamableFile> {
    const file = await this.files.blueprintFile(tenant, id, path, tenantScopeOf(auth));
    return new StreamableFile(createReadStream(file), { type: 'application/octet-stream' });
  }
}
