import { hash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ForbiddenError, MaybePromise, thenOrNow, UnauthorizedError } from '@nestify/common';
import { BOOTSTRAP_ADMIN_ID, SYS_ADMIN_ROLE, Tenant, User } from '@nestify/model';
import { ExpiringCache } from '../common/identity/expiring-cache';
import { IdentityChanges } from '../common/identity/identity-changes';
import { TokensService } from '../tokens/tokens.service';
import { hashExecutionToken, TOKEN_PREFIX } from '../tokens/token-value';
import { EffectiveRoles } from '../users/user-roles';
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
  /** Until when (epoch ms) this identity may be reused without asking the database again. */
  expiresAt?: number;
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

/**
 * How long a successful authentication and a user's tenant and roles are remembered. Clients send
 * credentials on every request; without this each request costs four or five queries before its
 * own. Changes made through this process drop the caches at once (IdentityChanges); another
 * replica's changes apply here within this time.
 */
const IDENTITY_TTL_MS = 10_000;
const CACHE_ENTRIES = 10_000;

/** A user's tenant (by the requested name) and roles there. */
interface Grant {
  tenant: Tenant | null;
  roles: EffectiveRoles;
}

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
  /**
   * Keys of cached identities are SHA-256 digests of the credentials salted with a secret that
   * never leaves the process (one-shot `hash`: a quarter of an HMAC's cost, paid per request).
   */
  private readonly cacheSalt = randomBytes(32).toString('base64');
  private readonly identities = new ExpiringCache<Identity>(CACHE_ENTRIES);
  private readonly grants = new ExpiringCache<Grant>(CACHE_ENTRIES);

  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly repository: AuthRepository,
    changes: IdentityChanges,
  ) {
    changes.onChange(() => {
      this.identities.clear();
      this.grants.clear();
    });
  }

  /**
   * Who the credentials belong to. A remembered identity is answered synchronously (no promise
   * per request on the hot path); anything else asks the database.
   */
  authenticate(credentials: Credentials): MaybePromise<Identity> {
    const cacheKey = this.identityCacheKey(credentials);
    const cached = cacheKey ? this.identities.get(cacheKey) : undefined;
    if (cached) return this.usable(cached);
    return this.authenticateStored(credentials, cacheKey);
  }

  private async authenticateStored(
    credentials: Credentials,
    cacheKey: string | undefined,
  ): Promise<Identity> {
    const identity =
      (await this.byExecutionToken(credentials)) ??
      (await this.byPassword(credentials)) ??
      (await this.byApiToken(credentials));
    if (!identity) throw new UnauthorizedError(NO_AUTH);
    this.usable(identity);
    if (cacheKey && identity.expiresAt) this.identities.set(cacheKey, identity, identity.expiresAt);
    return identity;
  }

  /** Refuses an inactive or locked user. */
  private usable(identity: Identity): Identity {
    const { user } = identity;
    if (!user.active || this.users.isLocked(user)) throw refused(user.username);
    return identity;
  }

  /**
   * Basic credentials and API tokens are cached; execution tokens never are, since their validity
   * follows their execution's status from one moment to the next.
   */
  private identityCacheKey(credentials: Credentials): string | undefined {
    const { executionToken, authenticationToken, basic } = credentials;
    if (executionToken || (authenticationToken && !authenticationToken.startsWith(API_TOKEN_START)))
      return undefined;
    if (!basic && !authenticationToken) return undefined;
    const material = basic ? `${basic.username}\0${basic.password}` : '';
    return hash('sha256', `${this.cacheSalt}\0${material}\0${authenticationToken ?? ''}`, 'base64');
  }

  /** The tenant named in the request and the user's roles there, cached briefly. */
  private grantOf(userId: number, tenantName: string | undefined): MaybePromise<Grant> {
    const key = `${userId}\0${tenantName ?? ''}`;
    return this.grants.get(key) ?? this.loadGrant(key, userId, tenantName);
  }

  private async loadGrant(key: string, userId: number, tenantName: string | undefined) {
    const tenant = tenantName ? await this.repository.findTenantByName(tenantName) : null;
    const grant = { tenant, roles: await this.users.rolesOf(userId, tenant?.id ?? null) };
    this.grants.set(key, grant, Date.now() + IDENTITY_TTL_MS);
    return grant;
  }

  /**
   * Resolves the tenant (the header, else an execution token's own tenant), checks it exists and
   * that the caller may perform the route's permission there.
   */
  authorize(identity: Identity, route: RouteRequirements): MaybePromise<AuthContext> {
    const tenantName = route.tenantName ?? identity.execution?.tenantName;
    return thenOrNow(this.grantOf(identity.user.id, tenantName), (grant) =>
      this.decide(identity, route, tenantName, grant),
    );
  }

  private decide(
    identity: Identity,
    route: RouteRequirements,
    tenantName: string | undefined,
    { tenant, roles }: Grant,
  ): AuthContext {
    const { user } = identity;
    if (tenantName && !tenant) {
      throw new ForbiddenError(
        `Authorization failed: Tried to authenticate with invalid tenant name: ${tenantName}`,
      );
    }
    if (route.tenantScoped && !tenant) {
      throw new ForbiddenError('Authorization failed: tenant not provided');
    }
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
    return { method: 'basic', user, expiresAt: Date.now() + IDENTITY_TTL_MS };
  }

  /** `Authentication-Token: ctok-<id>-<secret>`. */
  private async byApiToken(credentials: Credentials): Promise<Identity | undefined> {
    if (!credentials.authenticationToken) return undefined;
    const token = await this.tokens.authenticate(credentials.authenticationToken);
    const user = await this.users.findById(token.userId);
    if (!user) throw new UnauthorizedError(NO_AUTH);
    // A token expiring sooner than the cache would keep it is dropped when it expires.
    const expiresAt = Math.min(
      Date.now() + IDENTITY_TTL_MS,
      token.expiresAt?.getTime() ?? Infinity,
    );
    return { method: 'token', user, expiresAt };
  }
}

function notPermitted(username: string, action: string, tenant?: string): ForbiddenError {
  const where = tenant ? ` in the tenant \`${tenant}\`` : '';
  return new ForbiddenError(
    `User \`${username}\` is not permitted to perform the action ${action}${where}`,
  );
}
