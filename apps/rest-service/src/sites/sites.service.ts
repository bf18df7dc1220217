import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  ConflictError,
  formatTimestamp,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { CreateSiteDto, UpdateSiteDto } from './dto/site-body.dto';
import { SiteResponseDto } from './dto/site-response.dto';
import { SiteRow, SitesRepository } from './sites.repository';

/** `"lat, long"` → numbers; latitude within ±90, longitude within ±180. */
export function parseLocation(location: string): { latitude: number; longitude: number } {
  const parts = location.split(',').map((part) => part.trim());
  const [latitude, longitude] = parts.map(Number);
  const valid =
    parts.length === 2 &&
    parts.every((part) => part !== '') &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180;
  if (!valid) {
    throw new BadParametersError(
      `Invalid location '${location}', the format is expected to be "latitude,longitude" such as "32.071072,34.787274"`,
    );
  }
  return { latitude, longitude };
}

function toResponse({ site, tenantName, creatorName }: SiteRow): SiteResponseDto {
  const location =
    site.latitude === null || site.longitude === null
      ? null
      : `${site.latitude}, ${site.longitude}`;
  return {
    name: site.name,
    location,
    latitude: site.latitude,
    longitude: site.longitude,
    created_at: formatTimestamp(site.createdAt),
    visibility: site.visibility,
    tenant_name: tenantName,
    created_by: creatorName,
  };
}

/** Sites: named locations deployments may be attached to. */
@Injectable()
export class SitesService {
  constructor(private readonly sites: SitesRepository) {}

  async get(name: string, scope: TenantScope): Promise<SiteResponseDto> {
    return toResponse(await this.require(name, scope));
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<SiteResponseDto>>> {
    const { items, total } = await this.sites.list(query, scope);
    return listEnvelope(items.map(toResponse), total, query);
  }

  async create(name: string, body: CreateSiteDto, scope: TenantScope): Promise<SiteResponseDto> {
    validateResourceId(name, 'name');
    if (await this.sites.nameTaken(name, scope))
      throw new ConflictError(`<Site name=\`${name}\`> already exists`);
    const location = body.location
      ? parseLocation(body.location)
      : { latitude: null, longitude: null };
    await this.sites.insert({
      id: name,
      name,
      ...location,
      visibility: body.visibility ?? Visibility.Tenant,
      tenantId: scope.tenantId,
      creatorId: scope.userId,
    });
    return this.get(name, scope);
  }

  async update(name: string, body: UpdateSiteDto, scope: TenantScope): Promise<SiteResponseDto> {
    const { site } = await this.require(name, scope);
    const changes: Record<string, unknown> = {};
    if (body.location !== undefined) Object.assign(changes, parseLocation(body.location));
    if (body.visibility !== undefined) changes.visibility = body.visibility;
    let newName = name;
    if (body.new_name !== undefined && body.new_name !== name) {
      newName = validateResourceId(body.new_name, 'new_name');
      if (await this.sites.nameTaken(newName, scope))
        throw new ConflictError(`<Site name=\`${newName}\`> already exists`);
      Object.assign(changes, { name: newName, id: newName });
    }
    if (Object.keys(changes).length) await this.sites.update(site, changes);
    return this.get(newName, scope);
  }

  async delete(name: string, scope: TenantScope): Promise<void> {
    const { site } = await this.require(name, scope);
    await this.sites.delete(site);
  }

  private async require(name: string, scope: TenantScope): Promise<SiteRow> {
    const row = await this.sites.findVisible(name, scope);
    if (!row) throw new NotFoundError('Site', name);
    return row;
  }
}
