import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  formatTimestamp,
  NestifyError,
  NotFoundError,
  Visibility,
} from '@nestify/common';
import { InterDeploymentDependency, JsonObject } from '@nestify/model';
import { EntityManager } from 'typeorm';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { DependencyDto, DependencySpecDto } from './dto/inter-deployment-dependency-body.dto';
import {
  CreatedDependenciesDto,
  InterDeploymentDependencyResponseDto,
} from './dto/inter-deployment-dependency-response.dto';
import {
  BlockingDependency,
  DependencyRow,
  InterDeploymentDependenciesRepository,
} from './inter-deployment-dependencies.repository';

function toResponse(row: DependencyRow): InterDeploymentDependencyResponseDto {
  const { dependency: d } = row;
  return {
    id: d.id,
    dependency_creator: d.dependencyCreator,
    source_deployment_id: row.sourceId,
    target_deployment_id: row.targetId,
    target_deployment_func: d.targetDeploymentFunc,
    external_source: d.externalSource,
    external_target: d.externalTarget,
    created_at: formatTimestamp(d.createdAt),
    visibility: d.visibility,
    tenant_name: row.tenantName,
    created_by: row.creatorName,
  };
}

/** How a blocking dependency reads in Cloudify's refusal ("uses capabilities of…"). */
export function describeDependency(dependency: BlockingDependency): string {
  const [prefix, node] = dependency.dependencyCreator.split('.');
  const type =
    node === undefined
      ? 'deployment'
      : ['component', 'sharedresource'].includes(prefix)
        ? prefix
        : 'deployment';
  const verb = {
    component: 'contains',
    sharedresource: 'uses a shared resource from',
    deployment: 'uses capabilities of',
  }[type];
  const source = dependency.sourceId
    ? dependency.sourceId
    : dependency.externalSource
      ? `EXTERNAL:${JSON.stringify(dependency.externalSource)}`
      : '<unknown deployment>';
  return `Deployment \`${source}\` ${verb} the current deployment in its node \`${node ?? '<unknown node>'}\``;
}

/** A dependency that points the deployments into a cycle (409). */
class CyclicDependencyError extends ConflictError {}

/**
 * Inter-deployment dependencies: "deployment A uses deployment B" records written by the
 * workflows (components, shared resources, get_capability), kept free of cycles; a deployment
 * others depend on is not deleted without force.
 */
@Injectable()
export class InterDeploymentDependenciesService {
  constructor(private readonly dependencies: InterDeploymentDependenciesRepository) {}

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<InterDeploymentDependencyResponseDto>>> {
    const { items, total } = await this.dependencies.list(query, scope);
    return listEnvelope(items.map(toResponse), total, query);
  }

  /** PUT: one dependency; the source must exist, the target too unless a function names it. */
  async create(
    body: DependencyDto,
    scope: TenantScope,
  ): Promise<InterDeploymentDependencyResponseDto> {
    const sourceFk = body.external_source
      ? null
      : await this.requireSource(body.source_deployment, scope);
    const targetFk = await this.targetOf(body, scope);
    if (
      targetFk === null &&
      !body.target_deployment_func &&
      !body.external_source &&
      !body.external_target
    ) {
      throw new NotFoundError('Deployment', body.target_deployment ?? 'None');
    }
    const created = await this.dependencies.transaction((em) =>
      this.insert(em, body, { id: body.source_deployment, fk: sourceFk }, targetFk, scope),
    );
    return toResponse(await this.dependencies.findByStorageId(created.storageId));
  }

  /**
   * POST (adds) and PUT /deployments/{id}/… (replaces): the source's dependencies, in one
   * transaction; a target that does not exist is recorded without one (its function remains).
   */
  async createMany(
    sourceId: string,
    specs: DependencySpecDto[],
    scope: TenantScope,
    replace: boolean,
  ): Promise<CreatedDependenciesDto> {
    const external = specs.length > 0 && !!specs[0].external_source;
    const sourceFk = external ? null : await this.requireSource(sourceId, scope);
    const targets = await Promise.all(specs.map((spec) => this.targetOf(spec, scope)));
    const ids = await this.dependencies.transaction(async (em) => {
      if (replace && sourceFk !== null)
        await this.dependencies.deleteBySource(em, sourceFk, scope.tenantId);
      const created: string[] = [];
      for (const [index, spec] of specs.entries()) {
        const source = { id: sourceId, fk: sourceFk };
        created.push((await this.insert(em, spec, source, targets[index], scope)).id);
      }
      return created;
    });
    return {
      items: ids.map((id) => ({ id })),
      metadata: { pagination: { total: ids.length, size: ids.length, offset: 0 } },
    };
  }

  /** DELETE: the dependency matching creator, source and target. */
  async delete(body: DependencyDto, scope: TenantScope): Promise<void> {
    const sourceFk = await this.requireSource(body.source_deployment, scope);
    const targetFk = await this.targetOf(body, scope);
    if (
      targetFk === null &&
      !body.is_component_deletion &&
      !body.external_source &&
      !body.external_target
    ) {
      throw new NotFoundError('Deployment', body.target_deployment ?? 'None');
    }
    const storageId = await this.dependencies.findMatching(
      { dependencyCreator: body.dependency_creator, sourceFk, targetFk },
      scope,
    );
    if (storageId === undefined) {
      throw new NotFoundError('InterDeploymentDependencies', body.dependency_creator);
    }
    await this.dependencies.delete(storageId);
  }

  /** Dependencies that keep a deployment from being deleted, as Cloudify words them. */
  async blockingDeletion(deploymentFk: number): Promise<string[]> {
    return (await this.dependencies.blocking(deploymentFk)).map(describeDependency);
  }

  private async insert(
    em: EntityManager,
    spec: DependencySpecDto,
    source: { id: string; fk: number | null },
    targetFk: number | null,
    scope: TenantScope,
  ): Promise<InterDeploymentDependency> {
    const sourceFk = source.fk;
    if (sourceFk !== null && targetFk !== null) {
      // The target (or something it uses) already uses the source: the new edge closes a cycle.
      const cyclic =
        sourceFk === targetFk || (await this.dependencies.dependsOn(em, targetFk, sourceFk));
      if (cyclic) {
        throw new CyclicDependencyError(
          `Cyclic dependency between deployments ${source.id} and ${spec.target_deployment}`,
        );
      }
    }
    return this.dependencies.insert(em, {
      id: randomUUID(),
      dependencyCreator: spec.dependency_creator,
      sourceDeploymentFk: sourceFk,
      targetDeploymentFk: targetFk,
      targetDeploymentFunc: (spec.target_deployment_func ?? null) as JsonObject | null,
      externalSource: (spec.external_source ?? null) as JsonObject | null,
      externalTarget: (spec.external_target ?? null) as JsonObject | null,
      visibility: Visibility.Tenant,
      tenantId: scope.tenantId,
      creatorId: scope.userId,
    });
  }

  private async targetOf(spec: DependencySpecDto, scope: TenantScope): Promise<number | null> {
    if (!spec.target_deployment || spec.external_source || spec.external_target) return null;
    return (await this.dependencies.deploymentStorageId(spec.target_deployment, scope)) ?? null;
  }

  private async requireSource(id: string, scope: TenantScope): Promise<number> {
    const storageId = await this.dependencies.deploymentStorageId(id, scope);
    if (storageId === undefined) throw new SourceNotFoundError(id);
    return storageId;
  }
}

/** Cloudify's wording for a missing source deployment (404). */
class SourceNotFoundError extends NestifyError {
  constructor(id: string) {
    super(`Given source deployment with ID \`${id}\` does not exist.`, 'not_found_error');
  }
}
