import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  ConflictError,
  ForbiddenError,
  formatTimestamp,
  IllegalActionError,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { BOOTSTRAP_ADMIN_ID, JsonObject, Secret, SecretsProvider } from '@nestify/model';
import { AuthContext } from '../auth/auth-context';
import { isAllowedFor, isPermitted } from '../auth/permissions';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope, tenantScopeOf } from '../common/tenancy/tenant-scope';
import { UsersService } from '../users/users.service';
import { CreateSecretDto, UpdateSecretDto } from './dto/secret-body.dto';
import { SecretListItemDto, SecretResponseDto } from './dto/secret-response.dto';
import { JsonSchema } from './json-schema';
import { SecretCipher } from './secret-cipher';
import {
  checkVisibilityChange,
  isPythonFalsy,
  readSchema,
  serializeSecretValue,
} from './secret-rules';
import { SecretsRepository } from './secrets.repository';

/** How provider options sit in their jsonb column: sealed like values. */
interface SealedOptions extends JsonObject {
  encrypted: string;
}

function listItem(secret: Secret): SecretListItemDto {
  return {
    key: secret.id,
    created_at: formatTimestamp(secret.createdAt),
    updated_at: formatTimestamp(secret.updatedAt),
    resource_availability: secret.visibility,
    visibility: secret.visibility,
    tenant_name: secret.tenant?.name ?? '',
    created_by: secret.creator?.username ?? '',
    is_hidden_value: secret.isHiddenValue,
    provider_name: secret.secretsProvider?.name ?? null,
  };
}

/**
 * Secrets: values encrypted at rest, tenant isolation and visibility through the repository,
 * hidden values readable only by their creator and the tenant's administrators.
 */
@Injectable()
export class SecretsService {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly cipher: SecretCipher,
    private readonly users: UsersService,
  ) {}

  async list(
    query: ListQuery,
    auth: AuthContext,
  ): Promise<ListEnvelope<Partial<SecretListItemDto>>> {
    const { items, total } = await this.secrets.list(query, tenantScopeOf(auth));
    return listEnvelope(items.map(listItem), total, query);
  }

  async get(key: string, auth: AuthContext, skipValue = false): Promise<SecretResponseDto> {
    validateResourceId(key, 'key');
    return this.render(await this.require(key, tenantScopeOf(auth)), auth, skipValue);
  }

  /** PUT: create, or with `update_if_exists` replace the value of the one that exists. */
  async put(key: string, body: CreateSecretDto, auth: AuthContext): Promise<SecretResponseDto> {
    validateResourceId(key, 'key');
    const scope = tenantScopeOf(auth);
    const schema = readSchema(body.schema);
    const provider = await this.provider(body.provider_name, scope);
    if (isPythonFalsy(body.value) && !provider) {
      throw new BadParametersError(`Cannot create a secret with empty value or provider: ${key}`);
    }
    const sealed = isPythonFalsy(body.value) ? null : this.seal(body.value, schema);
    const visibility = body.visibility ?? Visibility.Tenant;
    if (visibility === Visibility.Global) this.checkGlobalPermitted(auth);
    const options = this.sealOptions(body.provider_options);
    if (await this.secrets.keyTaken(key, scope.tenantId)) {
      if (!body.update_if_exists) throw conflict(key, scope.tenantName);
      const existing = await this.require(key, scope);
      checkGlobalModification(existing, scope);
      await this.secrets.update(existing, {
        value: sealed,
        updatedAt: new Date(),
        ...(options ? { providerOptions: options } : {}),
      });
    } else {
      if (
        visibility === Visibility.Global &&
        (await this.secrets.existsElsewhere(key, scope.tenantId))
      ) {
        throw globalClash(key);
      }
      const now = new Date();
      await this.secrets.insert({
        id: key,
        value: sealed,
        schema: schema as JsonObject | null,
        isHiddenValue: body.is_hidden_value ?? false,
        visibility,
        tenantId: scope.tenantId,
        creatorId: scope.userId,
        createdAt: now,
        updatedAt: now,
        secretsProviderFk: provider?.storageId ?? null,
        providerOptions: options,
      });
    }
    return this.get(key, auth);
  }

  async update(key: string, body: UpdateSecretDto, auth: AuthContext): Promise<SecretResponseDto> {
    validateResourceId(key, 'key');
    if (Object.values(body).every((value) => value === undefined)) {
      throw new IllegalActionError(
        'Update a secret request must include at least one parameter to update',
      );
    }
    const scope = tenantScopeOf(auth);
    const secret = await this.require(key, scope);
    const permitted = await this.hiddenValuePermitted(secret, auth);
    checkModificationPermitted(secret, permitted, auth);
    const changes: Partial<Secret> = { updatedAt: new Date() };
    if (body.is_hidden_value !== undefined && body.is_hidden_value !== null) {
      if (!permitted) {
        throw new ForbiddenError(
          `User \`${auth.user.username}\` is not permitted to modify the secret \`${key}\` to be hidden value`,
        );
      }
      changes.isHiddenValue = body.is_hidden_value;
    }
    if (body.visibility) {
      checkVisibilityChange(key, secret.visibility, body.visibility);
      if (body.visibility === Visibility.Global) await this.checkCanGoGlobal(secret, auth);
      changes.visibility = body.visibility;
    }
    if (!isPythonFalsy(body.value)) changes.value = this.seal(body.value, secret.schema);
    if (body.creator) changes.creatorId = await this.newOwner(body.creator, auth);
    const provider = await this.provider(body.provider_name, scope);
    if (provider) changes.secretsProviderFk = provider.storageId;
    const options = this.sealOptions(body.provider_options);
    if (options) changes.providerOptions = options;
    checkGlobalModification(secret, scope);
    await this.secrets.update(secret, changes);
    return this.render(await this.require(key, scope), auth, false);
  }

  async setVisibility(
    key: string,
    visibility: Visibility,
    auth: AuthContext,
  ): Promise<SecretResponseDto> {
    validateResourceId(key, 'key');
    const scope = tenantScopeOf(auth);
    const secret = await this.require(key, scope);
    checkVisibilityChange(key, secret.visibility, visibility);
    if (visibility === Visibility.Global) await this.checkCanGoGlobal(secret, auth);
    await this.secrets.update(secret, { visibility, updatedAt: new Date() });
    return this.render(await this.require(key, scope), auth, false);
  }

  async delete(key: string, auth: AuthContext): Promise<void> {
    validateResourceId(key, 'key');
    const scope = tenantScopeOf(auth);
    const secret = await this.require(key, scope);
    checkModificationPermitted(secret, await this.hiddenValuePermitted(secret, auth), auth);
    checkGlobalModification(secret, scope);
    await this.secrets.delete(secret);
  }

  /** Cloudify: the creator, the bootstrap admin, or an `administrators` role in the secret's tenant. */
  async hiddenValuePermitted(secret: Secret, auth: AuthContext): Promise<boolean> {
    if (isAllowedFor(auth, 'administrators') && secret.tenantId === auth.tenant?.id) return true;
    if (secret.creatorId === auth.user.id || auth.user.id === BOOTSTRAP_ADMIN_ID) return true;
    if (secret.tenantId === auth.tenant?.id) return false;
    const roles = await this.users.rolesOf(auth.user.id, secret.tenantId);
    return isPermitted('administrators', roles.all);
  }

  /**
   * The decrypted value of the secret `key` the scope sees (own tenant first, else a global one),
   * or undefined when there is none: what intrinsic functions (`get_secret`) read.
   */
  async valueFor(key: string, scope: TenantScope): Promise<unknown> {
    const secret = await this.secrets.findVisible(key, scope);
    return secret ? this.reveal(secret) : undefined;
  }

  /** Which of `keys` the scope sees no secret for, in the order given. */
  async missingKeys(keys: readonly string[], scope: TenantScope): Promise<string[]> {
    const missing: string[] = [];
    for (const key of new Set(keys))
      if (!(await this.secrets.findVisible(key, scope))) missing.push(key);
    return missing;
  }

  /** Decrypts a stored value (throws if it was tampered with or sealed under another key). */
  reveal(secret: Secret): unknown {
    if (secret.value === null) return '';
    const text = this.cipher.decrypt(secret.value);
    return secret.schema ? (JSON.parse(text) as unknown) : text;
  }

  private async render(
    secret: Secret,
    auth: AuthContext,
    skipValue: boolean,
  ): Promise<SecretResponseDto> {
    const permitted = await this.hiddenValuePermitted(secret, auth);
    const hidden = skipValue || (secret.isHiddenValue && !permitted);
    return {
      ...listItem(secret),
      value: hidden ? '' : this.reveal(secret),
      schema: secret.schema,
      provider_options: permitted ? this.openOptions(secret.providerOptions) : null,
    };
  }

  private seal(value: unknown, schema: JsonObject | JsonSchema | null): string {
    return this.cipher.encrypt(serializeSecretValue(value, schema as JsonSchema | null));
  }

  private sealOptions(options: Record<string, unknown> | null | undefined): SealedOptions | null {
    if (isPythonFalsy(options)) return null;
    return { encrypted: this.cipher.encrypt(JSON.stringify(options)) };
  }

  /** Decrypted provider options, or null when none are stored. */
  openOptions(stored: JsonObject | null): Record<string, unknown> | null {
    const sealed = stored?.encrypted;
    if (typeof sealed !== 'string') return null;
    return JSON.parse(this.cipher.decrypt(sealed)) as Record<string, unknown>;
  }

  private async provider(
    name: string | null | undefined,
    scope: TenantScope,
  ): Promise<SecretsProvider | null> {
    if (!name) return null;
    const provider = await this.secrets.findProvider(name, scope);
    if (!provider) throw new NotFoundError('SecretsProvider', name);
    return provider;
  }

  private checkGlobalPermitted(auth: AuthContext): void {
    if (!isAllowedFor(auth, 'create_global_resource')) {
      throw new ForbiddenError(
        `User \`${auth.user.username}\` is not permitted to set or create a global resource`,
      );
    }
  }

  private async checkCanGoGlobal(secret: Secret, auth: AuthContext): Promise<void> {
    this.checkGlobalPermitted(auth);
    if (await this.secrets.existsElsewhere(secret.id, secret.tenantId))
      throw globalClash(secret.id);
  }

  private async newOwner(username: string, auth: AuthContext): Promise<number> {
    if (!isAllowedFor(auth, 'set_owner')) {
      const where = auth.tenant ? ` in the tenant \`${auth.tenant.name}\`` : '';
      throw new ForbiddenError(
        `User \`${auth.user.username}\` is not permitted to perform the action set_owner${where}`,
      );
    }
    const user = await this.users.findByUsername(username);
    if (!user) throw new BadParametersError(`User ${username} does not exist.`);
    return user.id;
  }

  private async require(key: string, scope: TenantScope): Promise<Secret> {
    const secret = await this.secrets.findVisible(key, scope);
    if (!secret) throw new NotFoundError('Secret', key);
    return secret;
  }
}

function conflict(key: string, tenantName: string): ConflictError {
  return new ConflictError(
    `<Secret id=\`${key}\` tenant=\`${tenantName}\`> already exists on <Tenant name=\`${tenantName}\`> or with global visibility`,
  );
}

function globalClash(key: string): ConflictError {
  return new ConflictError(
    `Can't set or create the resource <Secret id=\`${key}\`>, its visibility can't be global because it also exists in other tenants`,
  );
}

function checkModificationPermitted(secret: Secret, permitted: boolean, auth: AuthContext): void {
  if (secret.isHiddenValue && !permitted) {
    throw new ForbiddenError(
      `User \`${auth.user.username}\` is not permitted to modify the hidden value secret \`${secret.id}\``,
    );
  }
}

/** A global secret can only be changed from its own tenant. */
function checkGlobalModification(secret: Secret, scope: TenantScope): void {
  if (secret.visibility === Visibility.Global && secret.tenantId !== scope.tenantId) {
    throw new IllegalActionError(
      `Can't modify the global resource \`${secret.id}\` from outside its tenant \`${secret.tenant?.name ?? ''}\``,
    );
  }
}
