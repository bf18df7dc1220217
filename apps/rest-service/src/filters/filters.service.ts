import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  ConflictError,
  formatTimestamp,
  IllegalActionError,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { CreateFilterDto, UpdateFilterDto } from './dto/filter-body.dto';
import { FilterResponseDto } from './dto/filter-response.dto';
import { FilteredResource, FilterRule, parseFilterRules } from './filter-rules';
import { FilterRow, FiltersRepository } from './filters.repository';

/** The model name Cloudify's messages use for each kind of filter. */
const MODEL: Record<FilteredResource, string> = {
  deployments: 'DeploymentsFilter',
  blueprints: 'BlueprintsFilter',
};

const RESERVED_PREFIX = 'csys-';
const VISIBILITY_RANK: Record<Visibility, number> = {
  [Visibility.Private]: 0,
  [Visibility.Tenant]: 1,
  [Visibility.Global]: 2,
};

/** Which kind of filter a path names (anything else is an unknown route). */
export function filteredResourceOf(raw: string): FilteredResource {
  if (raw === 'deployments' || raw === 'blueprints') return raw;
  throw new NotFoundError('Filter', raw);
}

function rulesOf(value: unknown): FilterRule[] {
  return Array.isArray(value) ? (value as FilterRule[]) : [];
}

function toResponse({ filter, tenantName, creatorName }: FilterRow): FilterResponseDto {
  const value = rulesOf(filter.value);
  return {
    id: filter.id,
    value,
    labels_filter_rules: value.filter((rule) => rule.type === 'label'),
    attrs_filter_rules: value.filter((rule) => rule.type === 'attribute'),
    is_system_filter: filter.isSystemFilter,
    created_at: formatTimestamp(filter.createdAt),
    updated_at: formatTimestamp(filter.updatedAt),
    visibility: filter.visibility,
    tenant_name: tenantName,
    created_by: creatorName,
  };
}

/** Saved filter rules for deployments and blueprints, applied by `_filter_id`. */
@Injectable()
export class FiltersService {
  constructor(private readonly filters: FiltersRepository) {}

  async get(
    resource: FilteredResource,
    id: string,
    scope: TenantScope,
  ): Promise<FilterResponseDto> {
    return toResponse(await this.require(resource, id, scope));
  }

  /** The rules of a saved filter (404 when the caller cannot see it). */
  async rules(resource: FilteredResource, id: string, scope: TenantScope): Promise<FilterRule[]> {
    validateResourceId(id, 'filter_id');
    return rulesOf((await this.require(resource, id, scope)).filter.value);
  }

  async list(
    resource: FilteredResource,
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<FilterResponseDto>>> {
    const { items, total } = await this.filters.list(resource, query, scope);
    return listEnvelope(items.map(toResponse), total, query);
  }

  async create(
    resource: FilteredResource,
    id: string,
    body: CreateFilterDto,
    scope: TenantScope,
  ): Promise<FilterResponseDto> {
    validateResourceId(id, 'filter_id');
    if (id.toLowerCase().startsWith(RESERVED_PREFIX)) {
      throw new BadParametersError(
        `All filters with a \`${RESERVED_PREFIX}\` prefix are reserved for internal use.`,
      );
    }
    const rules = parseFilterRules(body.filter_rules, resource);
    if (await this.filters.idTaken(resource, id, scope)) {
      throw new ConflictError(
        `<${MODEL[resource]} id=\`${id}\` tenant=\`${scope.tenantName}\`> already exists on ` +
          `<Tenant name=\`${scope.tenantName}\`> or with global visibility`,
      );
    }
    const now = new Date();
    await this.filters.insert(resource, {
      id,
      value: rules as unknown as FilterRow['filter']['value'],
      createdAt: now,
      updatedAt: now,
      visibility: body.visibility ?? Visibility.Tenant,
      tenantId: scope.tenantId,
      creatorId: scope.userId,
    });
    return this.get(resource, id, scope);
  }

  /** New rules of one type replace the stored rules of that type; visibility may only widen. */
  async update(
    resource: FilteredResource,
    id: string,
    body: UpdateFilterDto,
    scope: TenantScope,
  ): Promise<FilterResponseDto> {
    validateResourceId(id, 'filter_id');
    if (body.filter_rules === undefined && body.visibility === undefined) {
      throw new IllegalActionError(
        'Update a filter request must include at least one parameter to update',
      );
    }
    const { filter } = await this.require(resource, id, scope);
    if (filter.isSystemFilter) throw new IllegalActionError('Cannot update a system filter');
    const changes: Partial<FilterRow['filter']> = { updatedAt: new Date() };
    if (body.visibility !== undefined) {
      if (VISIBILITY_RANK[body.visibility] < VISIBILITY_RANK[filter.visibility]) {
        throw new IllegalActionError(
          `Can't set the visibility of \`${id}\` to ${body.visibility} because it already has ` +
            `wider visibility`,
        );
      }
      changes.visibility = body.visibility;
    }
    if (body.filter_rules?.length) {
      const incoming = parseFilterRules(body.filter_rules, resource);
      const types = new Set(incoming.map((rule) => rule.type));
      const kept = rulesOf(filter.value).filter((rule) => !types.has(rule.type));
      changes.value = [...kept, ...incoming] as unknown as FilterRow['filter']['value'];
    }
    await this.filters.update(resource, filter, changes);
    return this.get(resource, id, scope);
  }

  async delete(resource: FilteredResource, id: string, scope: TenantScope): Promise<void> {
    validateResourceId(id, 'filter_id');
    const { filter } = await this.require(resource, id, scope);
    if (filter.isSystemFilter) throw new IllegalActionError('Cannot delete a system filter');
    await this.filters.delete(resource, filter);
  }

  private async require(
    resource: FilteredResource,
    id: string,
    scope: TenantScope,
  ): Promise<FilterRow> {
    const row = await this.filters.findVisible(resource, id, scope);
    if (!row) throw new NotFoundError(MODEL[resource], id);
    return row;
  }
}
