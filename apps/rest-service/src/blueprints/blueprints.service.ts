import { Injectable } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BlueprintInUseError,
  DependentExistsError,
  ForbiddenError,
  formatTimestamp,
  IllegalActionError,
  InvalidBlueprintError,
  NotFoundError,
  Visibility,
} from '@nestify/common';
import { BlueprintState, Execution, isFailedBlueprintState } from '@nestify/model';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { FilterRule } from '../filters/filter-rules';
import { FiltersService } from '../filters/filters.service';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { FileServerService } from '../resources/file-server.service';
import { BlueprintRow, BlueprintsRepository } from './blueprints.repository';
import { BlueprintResponseDto, UploadExecutionResponseDto } from './dto/blueprint-response.dto';

/** `csys-` label keys users may set (the answer to `GET /labels/blueprints?_reserved=true`). */
export const RESERVED_LABEL_KEYS = [
  'csys-consumer-id',
  'csys-env-type',
  'csys-environment',
  'csys-location-lat',
  'csys-location-long',
  'csys-location-name',
  'csys-obj-name',
  'csys-obj-parent',
  'csys-obj-type',
  'csys-wrcp-group-id',
  'csys-wrcp-services',
];

const VISIBILITY_RANK: Record<Visibility, number> = { private: 0, tenant: 1, global: 2 };

/** Cloudify's `status_display` of an execution status. */
function statusDisplay(status: string): string {
  return status === 'terminated' ? 'completed' : status;
}

function executionResponse(
  execution: Execution | null,
  row: BlueprintRow,
): UploadExecutionResponseDto | null {
  if (!execution) return null;
  return {
    id: execution.id,
    workflow_id: execution.workflowId,
    status: execution.status,
    status_display: statusDisplay(execution.status),
    error: execution.error ?? '',
    blueprint_id: execution.blueprintId,
    deployment_id: null,
    parameters: execution.parameters,
    is_system_workflow: execution.isSystemWorkflow,
    is_dry_run: execution.isDryRun,
    created_at: formatTimestamp(execution.createdAt),
    started_at: formatTimestamp(execution.startedAt),
    ended_at: formatTimestamp(execution.endedAt),
    visibility: execution.visibility,
    tenant_name: row.tenantName,
    created_by: row.creatorName,
  };
}

export function toBlueprintResponse(row: BlueprintRow): BlueprintResponseDto {
  const { blueprint } = row;
  return {
    id: blueprint.id,
    description: blueprint.description,
    main_file_name: blueprint.mainFileName,
    plan: blueprint.plan,
    requirements: blueprint.requirements,
    state: blueprint.state,
    error: blueprint.error,
    error_traceback: blueprint.errorTraceback,
    created_at: formatTimestamp(blueprint.createdAt),
    updated_at: formatTimestamp(blueprint.updatedAt),
    is_hidden: blueprint.isHidden,
    labels: row.labels.map((label) => ({
      key: label.key,
      value: label.value,
      created_at: formatTimestamp(label.createdAt),
      created_by: label.creatorName,
    })),
    upload_execution: executionResponse(row.uploadExecution, row),
    visibility: blueprint.visibility,
    tenant_name: row.tenantName,
    created_by: row.creatorName,
    resource_availability: blueprint.visibility,
    private_resource: blueprint.visibility === Visibility.Private,
  };
}

/** Blueprints once uploaded: reading, listing, visibility, deletion, archive and labels. */
@Injectable()
export class BlueprintsService {
  constructor(
    private readonly blueprints: BlueprintsRepository,
    private readonly files: FileServerService,
    private readonly filters: FiltersService,
  ) {}

  async get(id: string, scope: TenantScope): Promise<BlueprintResponseDto> {
    return toBlueprintResponse(await this.require(id, scope));
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
    givenRules: FilterRule[] = [],
    /** A saved filter (`_filter_id`) whose rules are added to the given ones. */
    filterId?: string,
  ): Promise<ListEnvelope<Partial<BlueprintResponseDto>>> {
    const saved = filterId ? await this.filters.rules('blueprints', filterId, scope) : [];
    const filterRules = [...givenRules, ...saved];
    const { items, total } = await this.blueprints.list(query, scope, filterRules);
    const envelope = listEnvelope(items.map(toBlueprintResponse), total, query);
    if (filterRules.length) {
      // `filtered`: how many rows the rules took away.
      const unfiltered = await this.blueprints.list(
        { ...query, size: 0, getAllResults: false },
        scope,
      );
      envelope.metadata.filtered = unfiltered.total - total;
    }
    return envelope;
  }

  /**
   * Deletes a blueprint and its files. Failed uploads always go; otherwise it must be uploaded
   * (or `force`), imported by no other blueprint (or `force`), and used by no deployment.
   */
  async delete(id: string, force: boolean, scope: TenantScope): Promise<void> {
    const row = await this.require(id, scope);
    const { blueprint } = row;
    checkModifiable(row, scope);
    if (!isFailedBlueprintState(blueprint.state)) {
      if (blueprint.state && !force && blueprint.state !== BlueprintState.Uploaded) {
        throw new InvalidBlueprintError(`Blueprint \`${id}\` is still ${blueprint.state}.`);
      }
      const importers = force ? [] : await this.blueprints.importerIds(id, scope);
      if (importers.some((importer) => importer !== id)) {
        throw new BlueprintInUseError(
          `Blueprint ${id} is currently in use. You can "force" blueprint removal.`,
        );
      }
      const deployments = await this.blueprints.deploymentIds(blueprint);
      if (deployments.length) {
        throw new DependentExistsError(
          `Can't delete blueprint ${id} - There exist deployments for this blueprint; Deployments ids: ${deployments.join(',')}`,
        );
      }
    }
    await this.blueprints.delete(blueprint);
    await this.files.remove(this.files.blueprintDir(row.tenantName, id));
    await this.files.remove(this.files.uploadedBlueprintDir(row.tenantName, id));
  }

  /** Widens a blueprint's visibility (never narrows it); global needs an admin. */
  async setVisibility(
    id: string,
    visibility: Visibility,
    scope: TenantScope & { username: string },
  ): Promise<BlueprintResponseDto> {
    const row = await this.require(id, scope);
    checkModifiable(row, scope);
    if (VISIBILITY_RANK[row.blueprint.visibility] > VISIBILITY_RANK[visibility]) {
      throw new IllegalActionError(
        `Can't set the visibility of \`${id}\` to ${visibility} because it already has wider visibility`,
      );
    }
    if (visibility === Visibility.Global && !scope.isAdmin) {
      throw new ForbiddenError(
        `User \`${scope.username}\` is not permitted to set or create a global resource`,
      );
    }
    await this.blueprints.update(row.blueprint, { visibility });
    return this.get(id, scope);
  }

  /** The stored archive of a blueprint: its path and the name to download it as. */
  async archive(id: string, scope: TenantScope): Promise<{ path: string; filename: string }> {
    const row = await this.require(id, scope);
    const dir = this.files.uploadedBlueprintDir(row.tenantName, id);
    const names = await readdir(dir).catch(() => [] as string[]);
    const filename = names.find((name) => name.startsWith(`${id}.`));
    if (!filename) throw new NotFoundError('Blueprint archive', id);
    return { path: join(dir, filename), filename };
  }

  /** Label keys (or a key's values) used on the blueprints the caller sees. */
  async labels(
    query: ListQuery,
    scope: TenantScope,
    options: { key?: string; reserved?: boolean },
  ): Promise<ListEnvelope<string>> {
    const { items, total } = options.reserved
      ? { items: RESERVED_LABEL_KEYS, total: RESERVED_LABEL_KEYS.length }
      : await this.blueprints.labelStrings(scope, query, options.key);
    return {
      items,
      metadata: {
        pagination: { total, size: query.size, offset: query.offset },
        filtered: null,
      },
    };
  }

  private async require(id: string, scope: TenantScope): Promise<BlueprintRow> {
    const row = await this.blueprints.findVisible(id, scope);
    if (!row) throw new NotFoundError('Blueprint', id);
    return row;
  }
}

/** A global blueprint can be changed only from its own tenant. */
function checkModifiable(row: BlueprintRow, scope: TenantScope): void {
  if (row.blueprint.visibility === Visibility.Global && row.tenantName !== scope.tenantName) {
    throw new IllegalActionError(
      `Can't modify the global resource \`${row.blueprint.id}\` from outside its tenant \`${row.tenantName}\``,
    );
  }
}
