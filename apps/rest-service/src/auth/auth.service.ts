import { Injectable } from '@nestjs/common';
import { ForbiddenError, UnauthorizedError } from '@nestify/common';
import { BOOTSTRAP_ADMIN_ID, SYS_ADMIN_ROLE, User } from '@nestify/model';
import { TokensService } from '../tokens/tokens.service';
import { hashExecutionToken, TOKEN_PREFIX } from '../tokens/token-value';
import { UsersService } from '../users/users.service';
import { AuthContext, AuthMethod } from './auth-context';
import { AuthRepository, TokenExecution } from './auth.repository';
import { Credentials } from './credentials';
import { executionTokenValid } from './execution-token';
import { isAllowedFor } from './permissions';
import { VerifiedPasswords } from './verified-passwords';

/** Who a request authenticated as, before any tenant is considered. */
export interface Identity {
  method: AuthMethod;
  user: User;
  execution?: TokenExecution;
}

/** What the route asks of the caller. */
export interface RouteRequirements {
  /** The `Tenant` header, if sent. */
  tenantName?: string;
  tenantScoped: boolean;
  permission?: string;
}

const NO_AUTH = 'User unauthorized: No authentication info provided';
/**
 * API tokens start `ctok-`; execution tokens are 32 hex characters, so an `Authentication-Token`
 * with that start skips the execution-token lookup (one query less per token request).
 */
const API_TOKEN_START = `${TOKEN_PREFIX}-`;
const BAD_EXECUTION_TOKEN = 'User unauthorized: Authentication failed, invalid Execution Token';

function refused(username: string): UnauthorizedError {
  return new UnauthorizedError(
    `User unauthorized: Authentication failed for <User username=\`${username}\`>. ` +
      'Wrong credentials or locked account',
  );
}

/**
 * Authentication (execution token → Basic → API token, Cloudify's order) and authorization
 * (tenant and permission) of a request. The guard feeds it headers and route metadata.
 */
@Injectable()
export class AuthService {
  private readonly passwords = new VerifiedPasswords();

  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly repository: AuthRepository,
  ) {}

  async authenticate(credentials: Credentials): Promise<Identity> {
    const identity =
      (await this.byExecutionToken(credentials)) ??
      (await this.byPassword(credentials)) ??
      (await this.byApiToken(credentials));
    if (!identity) throw new UnauthorizedError(NO_AUTH);
    const { user } = identity;
    if (!user.active || this.users.isLocked(user)) throw refused(user.username);
    return identity;
  }

  /**
   * Resolves the tenant (the header, else an execution token's own tenant), checks it exists and
   * that the caller may perform the route's permission there.
   */
  async authorize(identity: Identity, route: RouteRequirements): Promise<AuthContext> {
    const { user } = identity;
    const tenantName = route.tenantName ?? identity.execution?.tenantName;
    const tenant = tenantName ? await this.repository.findTenantByName(tenantName) : null;
    if (tenantName && !tenant) {
      throw new ForbiddenError(
        `Authorization failed: Tried to authenticate with invalid tenant name: ${tenantName}`,
      );
    }
    if (route.tenantScoped && !tenant) {
      throw new ForbiddenError('Authorization failed: tenant not provided');
    }
    const roles = await this.users.rolesOf(user.id, tenant?.id ?? null);
    const auth: AuthContext = {
      method: identity.method,
      user: { id: user.id, username: user.username, systemRole: roles.systemRole },
      roles: roles.all,
      ...(identity.execution ? { executionId: identity.execution.id } : {}),
    };
    if (tenant) {
      const role = roles.directTenantRole ?? roles.tenantRoles[0] ?? roles.systemRole;
      auth.tenant = { id: tenant.id, name: tenant.name, role };
    }
    const isAdmin = user.id === BOOTSTRAP_ADMIN_ID || roles.systemRole === SYS_ADMIN_ROLE;
    const member = isAdmin || roles.tenantRoles.length > 0;
    if (route.permission && !isAllowedFor(auth, route.permission)) {
      throw notPermitted(user.username, route.permission, tenant?.name);
    }
    if (route.tenantScoped && tenant && !member) {
      throw notPermitted(user.username, route.permission ?? 'tenant_access', tenant.name);
    }
    return auth;
  }

  /** `Execution-Token` (or an execution token sent as `Authentication-Token`). */
  private async byExecutionToken(credentials: Credentials): Promise<Identity | undefined> {
    const asApiToken = credentials.authenticationToken?.startsWith(API_TOKEN_START);
    const presented =
      credentials.executionToken ?? (asApiToken ? undefined : credentials.authenticationToken);
    if (!presented) return undefined;
    const execution = await this.repository.findExecutionByTokenHash(hashExecutionToken(presented));
    if (!execution) {
      // Only an explicit Execution-Token fails here; an API token goes on to its own check.
      if (credentials.executionToken) throw new UnauthorizedError(BAD_EXECUTION_TOKEN);
      return undefined;
    }
    if (!executionTokenValid(execution)) throw new UnauthorizedError(BAD_EXECUTION_TOKEN);
    const user = await this.users.findById(execution.creatorId);
    if (!user) throw new UnauthorizedError(BAD_EXECUTION_TOKEN);
    return { method: 'execution_token', user, execution };
  }

  /**
   * `Authorization: Basic`. An unknown username falls through to the next method. A locked user
   * is refused before its password is even checked; a wrong password counts a failed login, a
   * right one resets the count and stamps the login.
   */
  private async byPassword(credentials: Credentials): Promise<Identity | undefined> {
    if (!credentials.basic) return undefined;
    const { username, password } = credentials.basic;
    const user = await this.users.findByUsername(username);
    if (!user) return undefined;
    if (this.users.isLocked(user)) throw refused(username);
    if (!user.password || !(await this.passwords.matches(password, user.password))) {
      await this.users.recordFailedLogin(user);
      throw refused(username);
    }
    if (user.active) await this.users.recordSuccessfulLogin(user);
    user.failedLoginsCounter = 0;
    return { method: 'basic', user };
  }

  /** `Authentication-Token: ctok-<id>-<secret>`. */
  private async byApiToken(credentials: Credentials): Promise<Identity | undefined> {
    if (!credentials.authenticationToken) return undefined;
    const userId = await this.tokens.authenticate(credentials.authenticationToken);
    const user = await this.users.findById(userId);
    if (!user) throw new UnauthorizedError(NO_AUTH);
    return { method: 'token', user };
  }
}

function notPermitted(username: string, action: string, tenant?: string): ForbiddenError {
  const where = tenant ? ` in the tenant \`${tenant}\`` : '';
  return new ForbiddenError(
    `User \`${username}\` is not permitted to perform the action ${action}${where}`,
  );
}
