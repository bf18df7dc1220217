import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { formatTimestamp, NestifyError, NotFoundError } from '@nestify/common';
import { PERMISSIONS } from '../auth/permissions';
import { AuthorizationConfigDto, ConfigItemDto, ConfigResponseDto } from './dto/config-item.dto';
import { ConfigDefault, ConfigRow, ManagerRepository } from './manager.repository';

const HIDDEN = '********';

/** Settings clients read, created when missing (values are Cloudify's defaults). */
export const CONFIG_DEFAULTS: readonly ConfigDefault[] = [
  {
    scope: 'rest',
    name: 'default_page_size',
    value: 1000,
    schema: { type: 'integer', minimum: 1 },
  },
  {
    scope: 'rest',
    name: 'max_concurrent_workflows',
    value: 20,
    schema: { type: 'number', minimum: 1, maximum: 1000 },
  },
  {
    scope: 'rest',
    name: 'blueprint_folder_max_files',
    value: 10000,
    schema: { type: 'integer', minimum: 0 },
  },
  {
    scope: 'rest',
    name: 'blueprint_folder_max_size_mb',
    value: 50,
    schema: { type: 'number', minimum: 0 },
  },
  { scope: 'workflow', name: 'task_retries', value: 60, schema: { type: 'integer', minimum: -1 } },
  {
    scope: 'workflow',
    name: 'task_retry_interval',
    value: 15,
    schema: { type: 'integer', minimum: -1 },
  },
  {
    scope: 'workflow',
    name: 'subgraph_retries',
    value: 0,
    schema: { type: 'integer', minimum: -1 },
  },
];

function toItem(row: ConfigRow, isAdmin: boolean): ConfigItemDto {
  return {
    name: row.name,
    value: row.admin_only && !isAdmin ? HIDDEN : row.value,
    schema: row.schema,
    is_editable: row.is_editable,
    admin_only: row.admin_only,
    updated_at: formatTimestamp(row.updated_at),
    scope: row.scope,
    updater_name: row.updater_name,
  };
}

/** `scope.name` → its parts; the scope is what precedes the last dot, if any. */
export function splitConfigName(qualified: string): { scope?: string; name: string } {
  const dot = qualified.lastIndexOf('.');
  return dot < 0
    ? { name: qualified }
    : { scope: qualified.slice(0, dot), name: qualified.slice(dot + 1) };
}

/** The manager's settings (`config` table), as GET /config shows them. */
@Injectable()
export class ManagerConfigService implements OnApplicationBootstrap {
  constructor(private readonly manager: ManagerRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.manager.insertMissingConfig(CONFIG_DEFAULTS);
  }

  async list(scope: string | undefined, isAdmin: boolean): Promise<ConfigResponseDto> {
    const rows = await this.manager.config({ scope });
    const result: ConfigResponseDto = {
      metadata: {},
      items: rows.map((row) => toItem(row, isAdmin)),
    };
    if (!scope || scope === 'authorization') result.authorization = await this.authorization();
    return result;
  }

  async get(qualifiedName: string, isAdmin: boolean): Promise<ConfigItemDto> {
    const rows = await this.manager.config(splitConfigName(qualifiedName));
    if (!rows.length) throw new NotFoundError('Config', qualifiedName);
    if (rows.length > 1) {
      throw new NestifyError(`Expected 1 value, but found ${rows.length}`, 'ambiguous_name');
    }
    return toItem(rows[0], isAdmin);
  }

  private async authorization(): Promise<AuthorizationConfigDto> {
    const permissions: Record<string, string[]> = {};
    for (const [name, roles] of Object.entries(PERMISSIONS)) permissions[name] = [...roles];
    return { roles: await this.manager.roles(), permissions };
  }
}
