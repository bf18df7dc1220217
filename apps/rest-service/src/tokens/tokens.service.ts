import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  formatTimestamp,
  NotFoundError,
  parseTimestamp,
  UnauthorizedError,
} from '@nestify/common';
import { Token } from '@nestify/model';
import { AuthContext } from '../auth/auth-context';
import { isAllowedFor } from '../auth/permissions';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { LOGIN_STAMP_INTERVAL_MS, UsersService } from '../users/users.service';
import { CreateTokenDto } from './dto/create-token.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { TokensRepository } from './tokens.repository';
import {
  formatTokenValue,
  hashTokenSecret,
  parseTokenValue,
  randomToken,
  secretMatches,
  TOKEN_ID_LENGTH,
  TOKEN_SECRET_LENGTH,
} from './token-value';
import { ChangesIdentity, IdentityChanges } from '../common/identity/identity-changes';

/** Seeing and deleting other users' tokens takes this permission (sys_admin only by default). */
const MANAGE_OTHERS = 'manage_others_tokens';

/** API tokens: creation, listing, deletion, and checking one presented as credentials. */
@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: TokensRepository,
    private readonly users: UsersService,
    readonly identityChanges: IdentityChanges,
  ) {}

  async create(auth: AuthContext, body: CreateTokenDto): Promise<TokenResponseDto> {
    const expirationDate = parseExpiration(body.expiration_date);
    await this.tokens.purgeExpired(auth.user.id);
    const id = await this.freshId();
    const secret = randomToken(TOKEN_SECRET_LENGTH);
    const token = await this.tokens.insert({
      id,
      secretHash: hashTokenSecret(secret),
      description: body.description ?? null,
      expirationDate,
      userFk: auth.user.id,
    });
    const [response] = await this.respond([token]);
    return { ...response, value: formatTokenValue(id, secret) };
  }

  async list(
    auth: AuthContext,
    query: ListQuery,
  ): Promise<ListEnvelope<Partial<TokenResponseDto>>> {
    const owner = isAllowedFor(auth, MANAGE_OTHERS) ? null : auth.user.id;
    const { items, total } = await this.tokens.list(query, owner);
    return listEnvelope(await this.respond(items), total, query);
  }

  async get(auth: AuthContext, id: string): Promise<TokenResponseDto> {
    const [response] = await this.respond([await this.manageable(auth, id)]);
    return response;
  }

  @ChangesIdentity()
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.tokens.delete((await this.manageable(auth, id)).id);
  }

  /**
   * The owner of a presented `ctok-<id>-<secret>` value, after marking the token used. A value
   * without three parts is `Invalid token structure`; an unknown id or wrong secret is plainly
   * `Unauthorized` (nothing to learn for someone probing); a good but expired one `Token is expired`.
   */
  async authenticate(value: string): Promise<{ userId: number; expiresAt: Date | null }> {
    const parts = parseTokenValue(value);
    if (!parts) throw new UnauthorizedError('User unauthorized: Invalid token structure');
    const token = await this.tokens.findWithOwner(parts.id);
    if (!token || !secretMatches(parts.secret, token.secretHash)) {
      throw new UnauthorizedError('User unauthorized: Unauthorized');
    }
    if (token.expirationDate !== null && token.expirationDate.getTime() <= Date.now()) {
      throw new UnauthorizedError('User unauthorized: Token is expired');
    }
    // Stamped at most once a minute: a write on every request would cost more than the lookup.
    const stale =
      !token.lastUsed || Date.now() - token.lastUsed.getTime() >= LOGIN_STAMP_INTERVAL_MS;
    if (stale) await this.tokens.touch(token.id);
    return { userId: token.userFk, expiresAt: token.expirationDate };
  }

  /** A token the caller may see: its own, or any with `manage_others_tokens`; else not found. */
  private async manageable(auth: AuthContext, id: string): Promise<Token> {
    const token = await this.tokens.findWithOwner(id);
    if (!token || (token.userFk !== auth.user.id && !isAllowedFor(auth, MANAGE_OTHERS))) {
      throw new NotFoundError('Token', id);
    }
    return token;
  }

  private async freshId(): Promise<string> {
    for (;;) {
      const id = randomToken(TOKEN_ID_LENGTH);
      if (!(await this.tokens.idTaken(id))) return id;
    }
  }

  private async respond(tokens: Token[]): Promise<TokenResponseDto[]> {
    const roles = await this.users.ownSystemRoles(tokens.map((t) => t.userFk));
    return tokens.map((token) => ({
      id: token.id,
      value: formatTokenValue(token.id),
      username: token.user?.username ?? '',
      role: roles.get(token.userFk) ?? null,
      expiration_date: formatTimestamp(token.expirationDate),
      last_used: formatTimestamp(token.lastUsed),
      description: token.description,
    }));
  }
}

function parseExpiration(raw: string | null | undefined): Date | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const date = parseTimestamp(raw);
  if (!date) throw new BadParametersError(`Invalid expiration_date: ${raw}`);
  if (date.getTime() <= Date.now()) {
    throw new BadParametersError('Expiration date was in the past.');
  }
  return date;
}
