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
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { CreateSecretDto, SetSecretVisibilityDto, UpdateSecretDto } from './dto/secret-body.dto';
import {
  SECRET_LIST_FIELDS,
  SecretListItemDto,
  SecretResponseDto,
} from './dto/secret-response.dto';
import { ImportSecretsDto, ImportSecretsResultDto } from './dto/import-secrets.dto';
import { SecretsShareService } from './secrets-share.service';
import { SecretsService } from './secrets.service';

const LIST_SPEC = { fields: SECRET_LIST_FIELDS, searchField: 'key' };

@Controller('secrets')
@TenantScoped()
export class SecretsController {
  constructor(
    private readonly secrets: SecretsService,
    private readonly share: SecretsShareService,
  ) {}

  /** Secrets with their values, to import elsewhere; `_passphrase` encrypts the values. */
  @Get('share/export')
  @RequirePermission('secret_export')
  export(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<Record<string, unknown>[]> {
    const { _passphrase, _include_metadata, _include, ...listParams } = query;
    return this.share.export(
      parseListQuery(listParams, LIST_SPEC),
      {
        passphrase: typeof _passphrase === 'string' && _passphrase ? _passphrase : undefined,
        includeMetadata: parseBoolean(_include_metadata, '_include_metadata'),
        include: typeof _include === 'string' ? _include.split(',').filter(Boolean) : undefined,
      },
      auth,
    );
  }

  @Post('share/import')
  @HttpCode(200)
  @RequirePermission('secret_import')
  import(
    @Body() body: ImportSecretsDto,
    @Auth() auth: AuthContext,
  ): Promise<ImportSecretsResultDto> {
    return this.share.import(body, auth);
  }

  @Get()
  @RequirePermission('secret_list')
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<SecretListItemDto>>> {
    return this.secrets.list(parseListQuery(query, LIST_SPEC), auth);
  }

  @Get(':key')
  @RequirePermission('secret_get')
  get(
    @Param('key') key: string,
    @Auth() auth: AuthContext,
    @Query('_skip_value') skipValue?: string,
  ): Promise<SecretResponseDto> {
    return this.secrets.get(key, auth, parseBoolean(skipValue, '_skip_value'));
  }

  @Put(':key')
  @HttpCode(200)
  @RequirePermission('secret_create')
  create(
    @Param('key') key: string,
    @Body() body: CreateSecretDto,
    @Auth() auth: AuthContext,
  ): Promise<SecretResponseDto> {
    return this.secrets.put(key, body, auth);
  }

  @Patch(':key')
  @RequirePermission('secret_update')
  update(
    @Param('key') key: string,
    @Body() body: UpdateSecretDto,
    @Auth() auth: AuthContext,
  ): Promise<SecretResponseDto> {
    return this.secrets.update(key, body, auth);
  }

  @Patch(':key/set-visibility')
  @RequirePermission('secret_update')
  setVisibility(
    @Param('key') key: string,
    @Body() body: SetSecretVisibilityDto,
    @Auth() auth: AuthContext,
  ): Promise<SecretResponseDto> {
    return this.secrets.setVisibility(key, body.visibility, auth);
  }

  @Delete(':key')
  @HttpCode(204)
  @RequirePermission('secret_delete')
  async delete(@Param('key') key: string, @Auth() auth: AuthContext): Promise<void> {
    await this.secrets.delete(key, auth);
  }
}
