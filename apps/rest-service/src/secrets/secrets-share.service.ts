import { Injectable } from '@nestjs/common';
import { BadParametersError, formatTimestamp, Visibility } from '@nestify/common';
import { BOOTSTRAP_ADMIN_ID, Secret } from '@nestify/model';
import { AuthContext } from '../auth/auth-context';
import { isAllowedFor, isPermitted } from '../auth/permissions';
import { ListQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { UsersService } from '../users/users.service';
import { ImportSecretsDto, ImportSecretsResultDto } from './dto/import-secrets.dto';
import { PassphraseCipher, PassphraseDecryptionError } from './passphrase-cipher';
import { SecretCipher } from './secret-cipher';
import { SecretsRepository } from './secrets.repository';
import { SecretsService } from './secrets.service';

export interface ExportOptions {
  passphrase?: string;
  includeMetadata: boolean;
  include?: string[];
}

type Errors = Record<string, unknown>;

/** What a valid entry of `secrets_list` imports as. */
interface ImportedSecret {
  key: string;
  value: string;
  tenantId: number;
  tenantName: string;
  visibility: Visibility;
  isHiddenValue: boolean;
  creatorId: number;
  createdAt?: Date;
  updatedAt?: Date;
}

const VISIBILITIES: readonly string[] = Object.values(Visibility);

/** GET /secrets/share/export and POST /secrets/share/import (moving secrets between tenants). */
@Injectable()
export class SecretsShareService {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly service: SecretsService,
    private readonly cipher: SecretCipher,
    private readonly users: UsersService,
  ) {}

  /** The visible secrets with their values; hidden ones only where the caller may read them. */
  async export(
    query: ListQuery,
    options: ExportOptions,
    auth: AuthContext,
  ): Promise<Record<string, unknown>[]> {
    const found = await this.secrets.listAll(query, tenantScopeOf(auth));
    const { include } = options;
    // Values leave encrypted under the passphrase, unless `_include` leaves them out.
    const sealer =
      options.passphrase && (!include || include.includes('value'))
        ? new PassphraseCipher(options.passphrase)
        : undefined;
    const exported: Record<string, unknown>[] = [];
    for (const secret of found) {
      if (secret.isHiddenValue && !(await this.service.hiddenValuePermitted(secret, auth)))
        continue;
      let item = this.exportItem(secret, options.includeMetadata);
      if (include)
        item = Object.fromEntries(Object.entries(item).filter(([k]) => include.includes(k)));
      if (sealer && typeof item.value === 'string') {
        item.value = sealer.encrypt(item.value);
        item.encrypted = true;
      }
      exported.push(item);
    }
    return exported;
  }

  async import(body: ImportSecretsDto, auth: AuthContext): Promise<ImportSecretsResultDto> {
    const tenantMap = body.tenant_map ?? {};
    const names = new Set<string>(Object.values(tenantMap).map(String));
    for (const entry of body.secrets_list) {
      if (typeof entry?.tenant_name === 'string') names.add(entry.tenant_name);
    }
    const tenants = await this.secrets.tenantIds([...names]);
    const missing = Object.values(tenantMap).filter((name) => !tenants.has(String(name)));
    if (missing.length) {
      throw new BadParametersError(
        `The following destination tenants do not exist on the Manager: ${JSON.stringify([...new Set(missing)])}`,
      );
    }
    const opener = body.passphrase ? new PassphraseCipher(body.passphrase) : undefined;
    const result: ImportSecretsResultDto = { colliding_secrets: {}, secrets_errors: {} };
    for (const [index, entry] of body.secrets_list.entries()) {
      const errors: Errors = {};
      const secret = await this.readEntry(entry ?? {}, tenantMap, tenants, opener, auth, errors);
      if (!secret) result.secrets_errors[index] = errors;
      else if (await this.store(secret, body.override_collisions)) {
        (result.colliding_secrets[secret.tenantName] ??= []).push(secret.key);
      }
    }
    return result;
  }

  private exportItem(secret: Secret, includeMetadata: boolean): Record<string, unknown> {
    const item: Record<string, unknown> = {
      key: secret.id,
      value: secret.value === null ? '' : this.cipher.decrypt(secret.value),
      visibility: secret.visibility,
      tenant_name: secret.tenant?.name ?? '',
      is_hidden_value: secret.isHiddenValue,
      encrypted: false,
      provider: secret.secretsProvider?.name ?? null,
      provider_options: this.service.openOptions(secret.providerOptions),
    };
    if (includeMetadata) {
      item.creator = secret.creator?.username ?? '';
      item.created_at = formatTimestamp(secret.createdAt);
      item.updated_at = formatTimestamp(secret.updatedAt);
    }
    return item;
  }

  /** Checks one entry; answers what to store, or undefined with the reasons in `errors`. */
  private async readEntry(
    entry: Record<string, unknown>,
    tenantMap: Record<string, string>,
    tenants: Map<string, number>,
    opener: PassphraseCipher | undefined,
    auth: AuthContext,
    errors: Errors,
  ): Promise<ImportedSecret | undefined> {
    const missing = [
      'key',
      'value',
      'tenant_name',
      'visibility',
      'is_hidden_value',
      'encrypted',
    ].filter((field) => entry[field] === undefined || entry[field] === null);
    if (missing.length) errors['missing secret fields'] = missing;
    if (entry.is_hidden_value !== undefined && typeof entry.is_hidden_value !== 'boolean')
      errors.is_hidden_value = 'Not boolean';
    if (entry.encrypted !== undefined && typeof entry.encrypted !== 'boolean')
      errors.encrypted = 'Not boolean';
    const visibility = String(entry.visibility ?? '');
    if (entry.visibility !== undefined && !VISIBILITIES.includes(visibility))
      errors.visibility = 'Not a valid visibility';
    else if (visibility === Visibility.Global && !isAllowedFor(auth, 'create_global_resource'))
      errors.visibility = `User \`${auth.user.username}\` is not permitted to set or create a global resource`;
    const source = typeof entry.tenant_name === 'string' ? entry.tenant_name : undefined;
    const tenantName = source === undefined ? undefined : (tenantMap[source] ?? source);
    const tenantId = tenantName === undefined ? undefined : tenants.get(tenantName);
    if (tenantName !== undefined && tenantId === undefined)
      errors.tenant_name = `The tenant \`${tenantName}\` was not found`;
    else if (tenantId !== undefined && !(await this.mayCreateIn(tenantId, auth)))
      errors.tenant_name = `User \`${auth.user.username}\` is not permitted to perform the action secret_create in the tenant \`${tenantName}\``;
    const extras = await this.readOwnership(entry, auth, errors);
    const value = this.readValue(entry, opener, errors);
    if (Object.keys(errors).length || value === undefined || tenantId === undefined)
      return undefined;
    return {
      key: String(entry.key),
      value,
      tenantId,
      tenantName: tenantName as string,
      visibility: visibility as Visibility,
      isHiddenValue: entry.is_hidden_value === true,
      creatorId: auth.user.id,
      ...extras,
    };
  }

  private readValue(
    entry: Record<string, unknown>,
    opener: PassphraseCipher | undefined,
    errors: Errors,
  ): string | undefined {
    if (typeof entry.value !== 'string') {
      if (entry.value !== undefined && entry.value !== null) errors.value = 'Not a string';
      return undefined;
    }
    if (entry.encrypted !== true) return entry.value;
    if (!opener) {
      errors['No passphrase'] = 'The secret is encrypted but no passphrase was given';
      return undefined;
    }
    try {
      return opener.decrypt(entry.value);
    } catch (error) {
      if (!(error instanceof PassphraseDecryptionError)) throw error;
      errors.value = `Cannot decrypt the value: ${error.message}`;
      return undefined;
    }
  }

  /** `created_at`/`updated_at` need set_timestamp, `creator` set_owner and an existing user. */
  private async readOwnership(
    entry: Record<string, unknown>,
    auth: AuthContext,
    errors: Errors,
  ): Promise<Partial<Pick<ImportedSecret, 'creatorId' | 'createdAt' | 'updatedAt'>>> {
    const extras: Partial<Pick<ImportedSecret, 'creatorId' | 'createdAt' | 'updatedAt'>> = {};
    if (entry.created_at !== undefined || entry.updated_at !== undefined) {
      if (!isAllowedFor(auth, 'set_timestamp'))
        errors.timestamp = `User \`${auth.user.username}\` is not permitted to perform the action set_timestamp`;
      const date = (raw: unknown) => {
        const parsed = typeof raw === 'string' ? new Date(raw) : undefined;
        return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
      };
      extras.createdAt = date(entry.created_at);
      extras.updatedAt = date(entry.updated_at);
    }
    if (entry.creator !== undefined) {
      if (!isAllowedFor(auth, 'set_owner'))
        errors.creator = `User \`${auth.user.username}\` is not permitted to perform the action set_owner`;
      const user = await this.users.findByUsername(String(entry.creator));
      if (!user) errors.creator_valid = `User ${String(entry.creator)} does not exist.`;
      else extras.creatorId = user.id;
    }
    return extras;
  }

  /** Whether the caller may create secrets in that tenant (its roles there, not the header's). */
  private async mayCreateIn(tenantId: number, auth: AuthContext): Promise<boolean> {
    if (auth.user.id === BOOTSTRAP_ADMIN_ID) return true;
    if (tenantId === auth.tenant?.id) return isAllowedFor(auth, 'secret_create');
    const roles = await this.users.rolesOf(auth.user.id, tenantId);
    return isPermitted('secret_create', roles.all);
  }

  /** Inserts the secret; answers true when the key was taken (then replaced if `override`). */
  private async store(secret: ImportedSecret, override: boolean): Promise<boolean> {
    const value = this.cipher.encrypt(secret.value);
    if (await this.secrets.keyTaken(secret.key, secret.tenantId)) {
      const existing = override
        ? await this.secrets.findInTenant(secret.key, secret.tenantId)
        : null;
      if (existing) {
        await this.secrets.update(existing, {
          value,
          visibility: secret.visibility,
          isHiddenValue: secret.isHiddenValue,
          updatedAt: secret.updatedAt ?? new Date(),
        });
      }
      return true;
    }
    const now = new Date();
    await this.secrets.insert({
      id: secret.key,
      value,
      schema: null,
      isHiddenValue: secret.isHiddenValue,
      visibility: secret.visibility,
      tenantId: secret.tenantId,
      creatorId: secret.creatorId,
      createdAt: secret.createdAt ?? now,
      updatedAt: secret.updatedAt ?? now,
    });
    return false;
  }
}
