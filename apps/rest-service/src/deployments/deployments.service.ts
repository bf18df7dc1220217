import { Injectable } from '@nestjs/common';
import {
  BadParametersError,
  DependentExistsError,
  ForbiddenError,
  IllegalActionError,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { DslError, evaluateCapabilities, evaluateOutputs, Json, JsonObject } from '@nestify/dsl';
import { ListEnvelope, listEnvelope, pickFields } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { FilterRule } from '../filters/filter-rules';
import { FiltersService } from '../filters/filters.service';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { SecretsService } from '../secrets/secrets.service';
import {
  DeploymentCapabilitiesEvaluationError,
  DeploymentOutputsEvaluationError,
} from './deployment-errors';
import { DeploymentRuntimeStorage } from './deployment-runtime-storage';
import { DeploymentRow, toDeploymentResponse } from './deployment-response';
import { DeploymentsRepository } from './deployments.repository';
import { InterDeploymentDependenciesService } from './inter-deployment-dependencies.service';
import {
  DeploymentCapabilitiesDto,
  DeploymentOutputsDto,
  DeploymentResponseDto,
} from './dto/deployment-response.dto';
import { SetSiteDto } from './dto/set-site.dto';

const VISIBILITY_RANK: Record<Visibility, number> = { private: 0, tenant: 1, global: 2 };
/** get_capability chains deeper than this are taken for a cycle. */
const MAX_CAPABILITY_DEPTH = 10;

/** Who asks, with what they may do beyond their role's permissions. */
export interface Caller extends TenantScope {
  username: string;
  /** `create_global_resource` is allowed (sys_admin). */
  mayCreateGlobal: boolean;
}

/** A site's visibility must be at least as wide as its deployment's (Cloudify's rule). */
export function checkSiteVisibility(
  deployment: { id: string; visibility: Visibility },
  site: { name: string; visibility: Visibility },
): void {
  if (VISIBILITY_RANK[site.visibility] < VISIBILITY_RANK[deployment.visibility]) {
    throw new IllegalActionError(
      `The visibility of deployment \`${deployment.id}\`: \`${deployment.visibility}\` can't be wider than the visibility of it's site \`${site.name}\`: \`${site.visibility}\``,
    );
  }
}

/** Deployments once created: reading, listing, outputs, capabilities, deletion, visibility, site. */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly secrets: SecretsService,
    private readonly filters: FiltersService,
    private readonly dependencies: InterDeploymentDependenciesService,
  ) {}

  /** One deployment, its workflows rendered with their availability. */
  async get(
    id: string,
    scope: TenantScope,
    include?: string[],
  ): Promise<Partial<DeploymentResponseDto>> {
    const [response] = await this.render([await this.require(id, scope)], true);
    return pickFields(response, include);
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
    options: {
      searchName?: string;
      groupId?: string;
      filterRules?: FilterRule[];
      /** A saved filter (`_filter_id`) whose rules are added to `filterRules`. */
      filterId?: string;
    },
  ): Promise<ListEnvelope<Partial<DeploymentResponseDto>>> {
    const { filterId, ...rest } = options;
    const saved = filterId ? await this.filters.rules('deployments', filterId, scope) : [];
    const extra = { ...rest, filterRules: [...(rest.filterRules ?? []), ...saved] };
    const { items, total } = await this.deployments.list(query, scope, extra);
    const envelope = listEnvelope(await this.render(items, query.getData), total, query);
    if (extra.filterRules?.length) {
      // `filtered`: how many rows the rules took away.
      const unfiltered = await this.deployments.list(
        { ...query, size: 0, getAllResults: false },
        scope,
        { ...extra, filterRules: [] },
      );
      envelope.metadata.filtered = unfiltered.total - total;
    }
    return envelope;
  }

  /**
   * Deletes a deployment with everything it owns. Refused while an execution of it runs or
   * waits, and (unless `force`) while other deployments depend on it or an instance is live. Cloudify runs
   * delete_deployment_environment on the mgmtworker and drops the row when that ends; we have no
   * workdir or plugins to clean up yet, so the rows go now.
   */
  async delete(id: string, force: boolean, scope: TenantScope): Promise<void> {
    const row = await this.require(id, scope);
    checkModifiable(row, scope);
    const running = await this.deployments.activeExecutionIds(row._storage_id);
    if (running.length) {
      throw new DependentExistsError(
        `Can't delete deployment ${id} - There are running or queued executions for this deployment. Running executions ids: ${running.join(',')}`,
      );
    }
    const dependents = await this.dependencies.blockingDeletion(row._storage_id);
    if (dependents.length && !force) {
      throw new DependentExistsError(
        `Can't delete deployment ${id} - the following existing installations depend on it:\n` +
          dependents.map((line, index) => `[${index + 1}] ${line}`).join('\n'),
      );
    }
    if (!force) {
      const live = await this.deployments.liveInstanceIds(row._storage_id);
      if (live.length) {
        throw new DependentExistsError(
          `Can't delete deployment ${id} - There are live nodes for this deployment. Live nodes ids: ${live.join(',')}`,
        );
      }
    }
    await this.deployments.delete(row._storage_id);
  }

  async outputs(id: string, scope: TenantScope): Promise<DeploymentOutputsDto> {
    const row = await this.require(id, scope);
    const storage = await this.storageFor(row, scope, 0);
    try {
      const outputs = await evaluateOutputs((row.outputs ?? {}) as JsonObject, storage);
      return { deployment_id: id, outputs };
    } catch (error) {
      if (error instanceof DslError) throw new DeploymentOutputsEvaluationError(error.message);
      throw error;
    }
  }

  async capabilities(id: string, scope: TenantScope): Promise<DeploymentCapabilitiesDto> {
    const row = await this.require(id, scope);
    const storage = await this.storageFor(row, scope, 0);
    try {
      const capabilities = await evaluateCapabilities(
        (row.capabilities ?? {}) as JsonObject,
        storage,
      );
      return { deployment_id: id, capabilities };
    } catch (error) {
      if (error instanceof DslError) throw new DeploymentCapabilitiesEvaluationError(error.message);
      throw error;
    }
  }

  /** Widens a deployment's visibility (never narrows it); global needs create_global_resource. */
  async setVisibility(
    id: string,
    visibility: Visibility,
    caller: Caller,
  ): Promise<Partial<DeploymentResponseDto>> {
    const row = await this.require(id, caller);
    checkModifiable(row, caller);
    if (VISIBILITY_RANK[row.visibility] > VISIBILITY_RANK[visibility]) {
      throw new IllegalActionError(
        `Can't set the visibility of \`${id}\` to ${visibility} because it already has wider visibility`,
      );
    }
    if (visibility === Visibility.Global && !caller.mayCreateGlobal) {
      throw new ForbiddenError(
        `User \`${caller.username}\` is not permitted to set or create a global resource`,
      );
    }
    await this.deployments.update(row._storage_id, { visibility });
    return this.get(id, caller);
  }

  /** Attaches the deployment to a site, or detaches it (`detach_site: true`). */
  async setSite(
    id: string,
    body: SetSiteDto,
    scope: TenantScope,
  ): Promise<Partial<DeploymentResponseDto>> {
    const row = await this.require(id, scope);
    const siteName = body.site_name ?? undefined;
    if (siteName !== undefined) validateResourceId(siteName, 'site_name');
    if (Boolean(siteName) === Boolean(body.detach_site)) {
      throw new BadParametersError(
        'Must provide either a `site_name` of a valid site or `detach_site` with true value for detaching the current site of the given deployment',
      );
    }
    let siteFk: number | null = null;
    if (siteName) {
      const site = await this.deployments.findSite(siteName, scope);
      if (!site) throw new NotFoundError('Site', siteName);
      checkSiteVisibility(row, { name: siteName, visibility: site.visibility });
      siteFk = site.storageId;
    }
    await this.deployments.update(row._storage_id, { siteFk });
    return this.get(id, scope);
  }

  /** Label keys (or a key's values) used on the deployments the caller sees. */
  async labels(query: ListQuery, scope: TenantScope, key?: string): Promise<ListEnvelope<string>> {
    const { items, total } = await this.deployments.labelStrings(scope, query, key);
    return {
      items,
      metadata: { pagination: { total, size: query.size, offset: query.offset }, filtered: null },
    };
  }

  private async render(rows: DeploymentRow[], withWorkflows: boolean) {
    const ids = rows.map((row) => row._storage_id);
    const [labels, groups, facts] = await Promise.all([
      this.deployments.labelsOf(ids),
      this.deployments.groupsOf(ids),
      withWorkflows ? this.deployments.availabilityFacts(ids) : undefined,
    ]);
    return rows.map((row) =>
      toDeploymentResponse(
        row,
        labels.get(row._storage_id) ?? [],
        groups.get(row._storage_id) ?? [],
        facts?.get(row._storage_id),
      ),
    );
  }

  private async storageFor(
    row: DeploymentRow,
    scope: TenantScope,
    depth: number,
  ): Promise<DeploymentRuntimeStorage> {
    const labels = (await this.deployments.labelsOf([row._storage_id])).get(row._storage_id) ?? [];
    return new DeploymentRuntimeStorage(
      row,
      labels,
      scope,
      this.deployments,
      this.secrets,
      (id, name) => this.capabilityOf(id, name, scope, depth + 1),
    );
  }

  /** Another deployment's capability, its functions evaluated against that deployment. */
  private async capabilityOf(
    id: string,
    name: string,
    scope: TenantScope,
    depth: number,
  ): Promise<Json | undefined> {
    if (depth > MAX_CAPABILITY_DEPTH) {
      throw new IllegalActionError(`get_capability of \`${id}\` nests too deeply (a cycle?)`);
    }
    const row = await this.deployments.findVisible(id, scope);
    const declared = row?.capabilities?.[name];
    if (!row || declared === undefined) return undefined;
    const storage = await this.storageFor(row, scope, depth);
    const evaluated = await evaluateCapabilities({ [name]: declared } as JsonObject, storage);
    return evaluated[name];
  }

  private async require(id: string, scope: TenantScope): Promise<DeploymentRow> {
    const row = await this.deployments.findVisible(id, scope);
    if (!row) throw new NotFoundError('Deployment', id);
    return row;
  }
}

/** A global deployment can be changed only from its own tenant. */
function checkModifiable(row: DeploymentRow, scope: TenantScope): void {
  if (row.visibility === Visibility.Global && row._tenant_id !== scope.tenantId) {
    throw new IllegalActionError(
      `Can't modify the global resource \`${row.id}\` from outside its tenant \`${row.tenant_name}\``,
    );
  }
}
