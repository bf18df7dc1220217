import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  ConflictError,
  DependentExistsError,
  ForbiddenError,
  NotFoundError,
  validateResourceId,
} from '@nestify/common';
import {
  BOOTSTRAP_ADMIN_ID,
  DEFAULT_TENANT_ID,
  DEFAULT_TENANT_ROLE,
  RoleType,
  SYS_ADMIN_ROLE,
  Tenant,
} from '@nestify/model';
import { AuthContext } from '../auth/auth-context';
import { isAllowedFor, isPermitted } from '../auth/permissions';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { SecretCipher } from '../secrets/secret-cipher';
import { UsersService } from '../users/users.service';
import { CreateTenantDto } from './dto/tenant-body.dto';
import { TenantResponseDto } from './dto/tenant-response.dto';
import { NO_RABBIT, RabbitView, tenantView } from './tenant-view';
import { MemberKind, TenantsRepository } from './tenants.repository';
import { ChangesIdentity, IdentityChanges } from '../common/identity/identity-changes';

/** Names that would make `/tenants/users` and `/tenants/user-groups` ambiguous. */
const RESERVED_NAMES = ['users', 'user-groups'];
const RABBIT_FIELDS = ['rabbitmq_username', 'rabbitmq_password', 'rabbitmq_vhost'];

/** A membership change: who (user or group, by name), where, and with which tenant role. */
export interface MembershipRequest {
  kind: MemberKind;
  name: string;
  tenantName: string;
  role?: string;
}

/** Tenants and who may work in them: sys_admin's to manage, members' to read. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersService,
    private readonly cipher: SecretCipher,
    readonly identityChanges: IdentityChanges,
  ) {}

  /** Non-admins see only their own tenants; rabbit credentials only when asked for by name. */
  async list(
    query: ListQuery,
    auth: AuthContext,
  ): Promise<ListEnvelope<Partial<TenantResponseDto>>> {
    if (query.getData) this.check(auth, 'tenant_list_get_data');
    const memberId = isAdmin(auth) ? null : auth.user.id;
    const { items, total } = await this.tenants.list(query, memberId);
    const members = await this.tenants.membersOf(items.map((tenant) => tenant.id));
    const wantsRabbit = (query.include ?? []).some((field) => RABBIT_FIELDS.includes(field));
    const views: TenantResponseDto[] = [];
    for (const tenant of items) {
      const rabbit = wantsRabbit ? await this.rabbitFor(tenant, auth) : NO_RABBIT;
      views.push(tenantView(tenant.name, members.get(tenant.id)!, query.getData, rabbit));
    }
    return listEnvelope(views, total, query);
  }

  async get(name: string, auth: AuthContext, getData: boolean): Promise<TenantResponseDto> {
    validateResourceId(name, 'tenant_name');
    const tenant = await this.require(name);
    if (!(await this.permittedIn(auth, 'tenant_get', tenant))) {
      throw notPermitted(auth, 'tenant_get', tenant.name);
    }
    return this.view(tenant, getData, await this.rabbitFor(tenant, auth));
  }

  @ChangesIdentity()
  async create(name: string, body: CreateTenantDto): Promise<TenantResponseDto> {
    validateResourceId(name, 'tenant_name');
    if (RESERVED_NAMES.includes(name)) {
      throw new BadParametersError(
        `'${name}' is not allowed as a tenant name because it wouldn't be possible to remove it ` +
          `later due to a conflict with the remove ${name} from tenant endpoint`,
      );
    }
    if (await this.tenants.findByName(name)) {
      throw new ConflictError(`<Tenant name=\`${name}\`> already exists`);
    }
    const password = body.rabbitmq_password || randomBytes(16).toString('hex');
    await this.tenants.insert({
      name,
      rabbitmqVhost: `rabbitmq_vhost_${name}`,
      rabbitmqUsername: `rabbitmq_user_${name}`,
      rabbitmqPassword: this.cipher.encrypt(password),
    });
    return this.view(await this.require(name), false);
  }

  /** Only an empty tenant can go (memberships go with it); never the default tenant. */
  @ChangesIdentity()
  async delete(name: string): Promise<void> {
    validateResourceId(name, 'tenant_name');
    const tenant = await this.require(name);
    if (tenant.id === DEFAULT_TENANT_ID) {
      throw new ForbiddenError('The default tenant cannot be deleted');
    }
    const resources = await this.tenants.resourceCounts(tenant.id);
    if (resources.length) {
      const what = resources.map(({ table, count }) => `${count} ${table}`).join(', ');
      throw new DependentExistsError(
        `Cannot delete tenant \`${name}\`: it still has resources (${what})`,
      );
    }
    await this.tenants.delete(tenant);
  }

  /** PUT /tenants/users, /tenants/user-groups: role defaults to `user`. */
  @ChangesIdentity()
  async addMember(request: MembershipRequest): Promise<TenantResponseDto> {
    const { tenant, memberId, label } = await this.resolve(request);
    const role = await this.users.requireRole(
      request.role || DEFAULT_TENANT_ROLE,
      RoleType.TenantRole,
    );
    if ((await this.tenants.memberRole(request.kind, memberId, tenant.id)) !== undefined) {
      throw new ConflictError(`${label} is already associated with tenant \`${tenant.name}\``);
    }
    await this.tenants.addMember(request.kind, memberId, tenant.id, role.id);
    return this.view(tenant, false);
  }

  /** PATCH: a new role for an existing member. */
  @ChangesIdentity()
  async updateMember(request: MembershipRequest): Promise<TenantResponseDto> {
    if (!request.role) throw new BadParametersError('Missing role in json request body');
    const { tenant, memberId } = await this.resolve(request);
    const role = await this.users.requireRole(request.role, RoleType.TenantRole);
    await this.requireMembership(request, memberId, tenant);
    await this.tenants.setMemberRole(request.kind, memberId, tenant.id, role.id);
    return this.view(tenant, false);
  }

  @ChangesIdentity()
  async removeMember(request: MembershipRequest): Promise<void> {
    const { tenant, memberId } = await this.resolve(request);
    await this.requireMembership(request, memberId, tenant);
    await this.tenants.removeMember(request.kind, memberId, tenant.id);
  }

  private async resolve(
    request: MembershipRequest,
  ): Promise<{ tenant: Tenant; memberId: number; label: string }> {
    const field = request.kind === 'user' ? 'username' : 'group_name';
    validateResourceId(request.tenantName, 'tenant_name');
    validateResourceId(request.name, field);
    const tenant = await this.require(request.tenantName);
    if (request.kind === 'user') {
      const user = await this.users.require(request.name);
      return { tenant, memberId: user.id, label: `User \`${user.username}\`` };
    }
    const group = await this.tenants.findGroup(request.name);
    if (!group) throw new NotFoundError('Group', request.name);
    return { tenant, memberId: group.id, label: `Group \`${group.name}\`` };
  }

  private async requireMembership(
    request: MembershipRequest,
    memberId: number,
    tenant: Tenant,
  ): Promise<void> {
    if ((await this.tenants.memberRole(request.kind, memberId, tenant.id)) === undefined) {
      const label = request.kind === 'user' ? 'User' : 'Group';
      throw new NotFoundError(label, `${request.name}\` in tenant \`${tenant.name}`);
    }
  }

  private async view(
    tenant: Tenant,
    getData: boolean,
    rabbit?: RabbitView,
  ): Promise<TenantResponseDto> {
    const members = await this.tenants.membersOf([tenant.id]);
    return tenantView(tenant.name, members.get(tenant.id)!, getData, rabbit);
  }

  /** Rabbit credentials (password decrypted) for whoever holds tenant_rabbitmq_credentials there. */
  private async rabbitFor(tenant: Tenant, auth: AuthContext): Promise<RabbitView> {
    if (!(await this.permittedIn(auth, 'tenant_rabbitmq_credentials', tenant))) return NO_RABBIT;
    return {
      rabbitmq_username: tenant.rabbitmqUsername,
      rabbitmq_vhost: tenant.rabbitmqVhost,
      rabbitmq_password: tenant.rabbitmqPassword
        ? this.cipher.decrypt(tenant.rabbitmqPassword)
        : null,
    };
  }

  /** Whether the caller may perform `permission` with its roles in `tenant`. */
  private async permittedIn(
    auth: AuthContext,
    permission: string,
    tenant: Tenant,
  ): Promise<boolean> {
    if (auth.user.id === BOOTSTRAP_ADMIN_ID) return true;
    const roles = await this.users.rolesOf(auth.user.id, tenant.id);
    return isPermitted(permission, roles.all);
  }

  private check(auth: AuthContext, permission: string): void {
    if (!isAllowedFor(auth, permission)) throw notPermitted(auth, permission);
  }

  private async require(name: string): Promise<Tenant> {
    const tenant = await this.tenants.findByName(name);
    if (!tenant) throw new NotFoundError('Tenant', name);
    return tenant;
  }
}

function isAdmin(auth: AuthContext): boolean {
  return auth.user.id === BOOTSTRAP_ADMIN_ID || auth.user.systemRole === SYS_ADMIN_ROLE;
}

function notPermitted(auth: AuthContext, action: string, tenant?: string): ForbiddenError {
  const where = tenant ? ` in the tenant \`${tenant}\`` : '';
  return new ForbiddenError(
    `User \`${auth.user.username}\` is not permitted to perform the action ${action}${where}`,
  );
}
