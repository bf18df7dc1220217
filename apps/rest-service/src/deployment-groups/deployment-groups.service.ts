import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  ConflictError,
  formatTimestamp,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { JsonObject } from '@nestify/model';
import { LabelPair } from '../blueprints/blueprints.repository';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { parseDeploymentLabels } from '../deployments/deployment-labels';
import { DeploymentCreationService } from '../deployments/deployment-creation.service';
import { Caller, DeploymentsService } from '../deployments/deployments.service';
import { CreateDeploymentDto } from '../deployments/dto/create-deployment.dto';
import { FilterRule, parseFilterRules } from '../filters/filter-rules';
import { FiltersService } from '../filters/filters.service';
import {
  GroupMembersDto,
  NewDeploymentDto,
  PatchDeploymentGroupDto,
  PutDeploymentGroupDto,
} from './dto/deployment-group-body.dto';
import { DeploymentGroupResponseDto } from './dto/deployment-group-response.dto';
import { DeploymentGroupRow, DeploymentGroupsRepository } from './deployment-groups.repository';
import { newDeploymentName } from './new-deployment-name';

function toResponse(row: DeploymentGroupRow): DeploymentGroupResponseDto {
  const { group } = row;
  return {
    id: group.id,
    description: group.description,
    default_blueprint_id: row.blueprintId,
    default_inputs: group.defaultInputs ?? {},
    deployment_ids: row.deploymentIds,
    labels: row.labels.map((label) => ({
      key: label.key,
      value: label.value,
      created_at: formatTimestamp(label.createdAt),
      created_by: label.creatorName,
    })),
    creation_counter: group.creationCounter,
    created_at: formatTimestamp(group.createdAt),
    visibility: group.visibility,
    tenant_name: row.tenantName,
    created_by: row.creatorName,
  };
}

/** Group labels: `{key: value}` mappings, or `{key, value}` objects. */
export function parseGroupLabels(raw: unknown[]): LabelPair[] {
  return parseDeploymentLabels(
    raw.map((entry) => {
      if (typeof entry === 'object' && entry !== null && 'key' in entry && 'value' in entry) {
        const { key, value } = entry as { key: unknown; value: unknown };
        return typeof key === 'string' ? { [key]: value } : entry;
      }
      return entry;
    }),
  );
}

/** Every visible deployment, ids only (for rule-based membership). */
const ALL_IDS: ListQuery = {
  size: 1000,
  offset: 0,
  sort: [],
  include: ['id'],
  search: undefined,
  getAllResults: true,
  allTenants: false,
  getData: false,
  filters: {},
};

/**
 * Deployment groups: named sets of deployments with a default blueprint and inputs. Members come
 * from ids, saved deployment filters, filter rules or another group, or are created from the
 * default blueprint (`new_deployments`) through the same path as PUT /deployments/{id}.
 */
@Injectable()
export class DeploymentGroupsService {
  constructor(
    private readonly groups: DeploymentGroupsRepository,
    private readonly filters: FiltersService,
    private readonly deployments: DeploymentsService,
    private readonly creation: DeploymentCreationService,
  ) {}

  async get(id: string, scope: TenantScope): Promise<DeploymentGroupResponseDto> {
    return toResponse(await this.require(id, scope));
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<DeploymentGroupResponseDto>>> {
    const { items, total } = await this.groups.list(query, scope);
    return listEnvelope(items.map(toResponse), total, query);
  }

  /** Creates the group, or updates the fields given; member sources given replace the members. */
  async put(
    id: string,
    body: PutDeploymentGroupDto,
    scope: Caller,
  ): Promise<DeploymentGroupResponseDto> {
    validateResourceId(id, 'group_id');
    const labels = body.labels === undefined ? undefined : parseGroupLabels(body.labels);
    const blueprintFk =
      body.blueprint_id === undefined || body.blueprint_id === ''
        ? undefined
        : await this.blueprintFk(body.blueprint_id, scope);
    const members = await this.resolveMembers(body, scope);

    let group = (await this.groups.findVisible(id, scope))?.group;
    if (!group) {
      group = await this.groups.insert({
        id,
        visibility: body.visibility ?? Visibility.Tenant,
        tenantId: scope.tenantId,
        creatorId: scope.userId,
      });
    }
    const changes: Record<string, unknown> = {};
    if (body.visibility !== undefined) changes.visibility = body.visibility;
    if (body.default_inputs !== undefined)
      changes.defaultInputs = body.default_inputs as JsonObject;
    if (body.description !== undefined) changes.description = body.description;
    if (blueprintFk !== undefined) changes.defaultBlueprintFk = blueprintFk;
    await this.groups.update(group, changes);
    if (labels !== undefined) await this.groups.setLabels(group, labels, scope.userId);
    const overriding =
      body.deployment_ids !== undefined ||
      body.filter_id !== undefined ||
      body.deployments_from_group !== undefined;
    if (overriding) await this.groups.removeMembers(group);
    await this.groups.addMembers(group, members);
    if (body.new_deployments?.length) await this.createDeployments(id, body.new_deployments, scope);
    return this.get(id, scope);
  }

  /** Adds (existing or new deployments) and removes members. */
  async patch(
    id: string,
    body: PatchDeploymentGroupDto,
    scope: Caller,
  ): Promise<DeploymentGroupResponseDto> {
    const { group } = await this.require(id, scope);
    if (body.add) {
      await this.groups.addMembers(group, await this.resolveMembers(body.add, scope));
      if (body.add.new_deployments?.length) {
        await this.createDeployments(id, body.add.new_deployments, scope);
      }
    }
    if (body.remove) {
      await this.groups.removeMembers(group, await this.resolveMembers(body.remove, scope));
    }
    return this.get(id, scope);
  }

  /**
   * Creates deployments of the group's default blueprint — inputs over the group's defaults,
   * labels plus the group's, ids from the spec or the blueprint's id template — and adds them.
   * Like Cloudify's, creation runs on: a deployment whose environment creation fails is kept
   * (with its failed create_deployment_environment) and still joins the group.
   */
  private async createDeployments(
    id: string,
    specs: NewDeploymentDto[],
    caller: Caller,
  ): Promise<void> {
    const row = await this.require(id, caller);
    const { group } = row;
    const blueprint =
      group.defaultBlueprintFk === null
        ? undefined
        : await this.groups.defaultBlueprint(group.defaultBlueprintFk);
    if (!blueprint) {
      throw new ConflictError(
        `Cannot create deployments: group ${id} has no default blueprint set`,
      );
    }
    const groupLabels = row.labels.map((label) => ({ [label.key]: label.value }));
    let count = group.creationCounter;
    for (const spec of specs) {
      const name = newDeploymentName({
        groupId: id,
        blueprintId: blueprint.id,
        count,
        siteName: spec.site_name,
        id: spec.id,
        idTemplate: stringOrNull(blueprint.settings.id_template),
        displayNameTemplate: spec.display_name ?? blueprint.settings.display_name,
      });
      const request: CreateDeploymentDto = {
        blueprint_id: blueprint.id,
        inputs: { ...(group.defaultInputs ?? {}), ...(spec.inputs ?? {}) } as JsonObject,
        visibility: group.visibility,
        labels: [...(spec.labels ?? []), ...groupLabels],
        display_name: name.displayName ?? null,
        site_name: spec.site_name ?? null,
        skip_plugins_validation: spec.skip_plugins_validation ?? false,
        runtime_only_evaluation: spec.runtime_only_evaluation ?? false,
      };
      await this.creation.create(name.id, request, caller, true);
      count += 1;
      await this.groups.update(group, { creationCounter: count });
      const created = await this.groups.deploymentStorageIds([name.id], caller);
      await this.groups.addMembers(group, [...created.values()]);
    }
  }

  async delete(id: string, deleteDeployments: boolean, scope: TenantScope): Promise<void> {
    const { group } = await this.require(id, scope);
    if (deleteDeployments) {
      throw new BadParametersError(
        'Deleting the deployments of a group (delete_deployments) is not supported yet',
      );
    }
    await this.groups.delete(group);
  }

  /** Storage ids of the deployments a members body names (ids, filter, rules, other group). */
  private async resolveMembers(body: GroupMembersDto, scope: TenantScope): Promise<number[]> {
    const ids = new Set<number>();
    if (body.deployment_ids?.length) {
      const found = await this.groups.deploymentStorageIds(body.deployment_ids, scope);
      for (const depId of body.deployment_ids) {
        const storageId = found.get(depId);
        if (storageId === undefined) throw new NotFoundError('Deployment', depId);
        ids.add(storageId);
      }
    }
    const ruleSets: FilterRule[][] = [];
    if (body.filter_id !== undefined)
      ruleSets.push(await this.filters.rules('deployments', body.filter_id, scope));
    if (body.filter_rules?.length)
      ruleSets.push(parseFilterRules(body.filter_rules, 'deployments'));
    for (const filterRules of ruleSets) {
      const matched = await this.deployments.list(ALL_IDS, scope, { filterRules });
      const found = await this.groups.deploymentStorageIds(
        matched.items.map((item) => item.id as string),
        scope,
      );
      for (const storageId of found.values()) ids.add(storageId);
    }
    if (body.deployments_from_group !== undefined) {
      const other = await this.require(body.deployments_from_group, scope);
      for (const storageId of await this.groups.memberIds(other.group)) ids.add(storageId);
    }
    return [...ids];
  }

  private async blueprintFk(blueprintId: string, scope: TenantScope): Promise<number> {
    const storageId = await this.groups.blueprintStorageId(blueprintId, scope);
    if (storageId === undefined) throw new NotFoundError('Blueprint', blueprintId);
    return storageId;
  }

  private async require(id: string, scope: TenantScope): Promise<DeploymentGroupRow> {
    const row = await this.groups.findVisible(id, scope);
    if (!row) throw new NotFoundError('DeploymentGroup', id);
    return row;
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}
