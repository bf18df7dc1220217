import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { CreateTokenDto } from './dto/create-token.dto';
import { TOKEN_FIELDS, TokenResponseDto } from './dto/token-response.dto';
import { TokensService } from './tokens.service';

const LIST_SPEC = { fields: TOKEN_FIELDS };

/** API tokens (`ctok-…`); not tenant-scoped. */
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('create_token')
  create(@Body() body: CreateTokenDto, @Auth() auth: AuthContext): Promise<TokenResponseDto> {
    return this.tokens.create(auth, body);
  }

  /** The caller's tokens; every user's for sys_admin. */
  @Get()
  @RequirePermission('token_get')
  @ApiListResponse(TokenResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<TokenResponseDto>>> {
    return this.tokens.list(auth, parseListQuery(query, LIST_SPEC));
  }

  @Get(':id')
  @RequirePermission('list_token')
  get(@Param('id') id: string, @Auth() auth: AuthContext): Promise<TokenResponseDto> {
    return this.tokens.get(auth, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('delete_token')
  async delete(@Param('id') id: string, @Auth() auth: AuthContext): Promise<void> {
    await this.tokens.delete(auth, id);
  }
}
