import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  Blueprint,
  BlueprintLabel,
  Deployment,
  Execution,
  FAILED_BLUEPRINT_STATES,
} from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import {
  applyListQuery,
  ColumnMap,
  distinctLabelStrings,
  fetchPage,
} from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';
import { FilterRule, filterRulesCondition, FilterTarget } from '../filters/filter-rules';

/** Where filter rules on blueprints point, in the list query's aliases. */
const FILTER_TARGET: FilterTarget = {
  storageId: 'blueprint.storageId',
  labelsTable: 'blueprints_labels',
  attributes: {
    id: 'blueprint.id',
    state: 'blueprint.state',
    created_by: 'creator.username',
    tenant_name: 'tenant.name',
  },
};

/** A blueprint with what its response shows: tenant and creator names, labels, upload run. */
export interface BlueprintRow {
  blueprint: Blueprint;
  tenantName: string;
  creatorName: string;
  labels: Array<{ key: string; value: string; createdAt: Date; creatorName: string }>;
  uploadExecution: Execution | null;
}

/** A label to store: key and value, already validated. */
export interface LabelPair {
  key: string;
  value: string;
}

const COLUMNS: ColumnMap = {
  id: { expression: 'blueprint.id' },
  description: { expression: 'blueprint.description' },
  main_file_name: { expression: 'blueprint.mainFileName' },
  state: { expression: 'blueprint.state' },
  error: { expression: 'blueprint.error' },
  error_traceback: { expression: 'blueprint.errorTraceback' },
  created_at: { expression: 'blueprint.createdAt' },
  updated_at: { expression: 'blueprint.updatedAt' },
  is_hidden: { expression: 'blueprint.isHidden', kind: 'boolean' },
  visibility: { expression: 'blueprint.visibility' },
  resource_availability: { expression: 'blueprint.visibility' },
  private_resource: { expression: "(blueprint.visibility = 'private')", kind: 'boolean' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

const FAILED_STATES = [...FAILED_BLUEPRINT_STATES] as string[];

/** Every query on blueprints and their labels, scoped to what the caller may see. */
@Injectable()
export class BlueprintsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private visible(scope: TenantScope): SelectQueryBuilder<Blueprint> {
    const qb = this.db
      .getRepository(Blueprint)
      .createQueryBuilder('blueprint')
      .innerJoinAndSelect('blueprint.tenant', 'tenant')
      .innerJoinAndSelect('blueprint.creator', 'creator')
      .leftJoinAndSelect('blueprint.uploadExecution', 'execution');
    return whereVisible(qb, 'blueprint', scope);
  }

  /** The blueprint `id` the caller sees: its own tenant's first, else a global one. */
  async findVisible(id: string, scope: TenantScope): Promise<BlueprintRow | undefined> {
    const blueprint = await this.visible(scope)
      .andWhere('blueprint.id = :id', { id })
      .orderBy('CASE WHEN blueprint.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    if (!blueprint) return undefined;
    const [row] = await this.withLabels([blueprint]);
    return row;
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
    filterRules: FilterRule[] = [],
  ): Promise<{ items: BlueprintRow[]; total: number }> {
    const qb = this.visible(scope).andWhere('blueprint.isHidden = false');
    const rules = filterRulesCondition(filterRules, FILTER_TARGET);
    if (rules) qb.andWhere(`(${rules.sql})`, rules.params);
    applyListQuery(qb, query, COLUMNS, 'id');
    if (!query.sort.length) {
      qb.orderBy('blueprint.createdAt', 'ASC').addOrderBy('blueprint.storageId', 'ASC');
    }
    const { items, total } = await fetchPage(qb, query);
    return { items: await this.withLabels(items), total };
  }

  /** Rows that hold `id` where a new one would clash: the tenant's own, or global ones anywhere. */
  async findClashing(id: string, tenantId: number, everyTenant: boolean): Promise<Blueprint[]> {
    const qb = this.db
      .getRepository(Blueprint)
      .createQueryBuilder('blueprint')
      .where('blueprint.id = :id', { id });
    if (!everyTenant) {
      qb.andWhere("(blueprint.tenantId = :tenantId OR blueprint.visibility = 'global')", {
        tenantId,
      });
    }
    return qb.getMany();
  }

  async insert(values: Partial<Blueprint>): Promise<Blueprint> {
    const repository = this.db.getRepository(Blueprint);
    return repository.save(repository.create(values));
  }

  async update(blueprint: Blueprint, changes: Partial<Blueprint>): Promise<void> {
    await this.db.getRepository(Blueprint).update({ storageId: blueprint.storageId }, {
      ...changes,
      updatedAt: new Date(),
    } as QueryDeepPartialEntity<Blueprint>);
  }

  /** Deletes the row (its labels go by cascade) and its upload execution. */
  async delete(blueprint: Blueprint): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.getRepository(Blueprint).delete({ storageId: blueprint.storageId });
      if (blueprint.uploadExecutionFk !== null) {
        await em.getRepository(Execution).delete({ storageId: blueprint.uploadExecutionFk });
      }
    });
  }

  /** Records the upload_blueprint run (Cloudify shows it as the blueprint's upload_execution). */
  async insertUploadExecution(values: Partial<Execution>): Promise<Execution> {
    const repository = this.db.getRepository(Execution);
    return repository.save(repository.create(values));
  }

  async finishUploadExecution(execution: Execution, changes: Partial<Execution>): Promise<void> {
    await this.db.getRepository(Execution).update({ storageId: execution.storageId }, {
      ...changes,
      endedAt: new Date(),
    } as QueryDeepPartialEntity<Execution>);
  }

  /** Marks a blueprint uploaded with its plan and labels, in one transaction. */
  async completeUpload(
    blueprint: Blueprint,
    changes: Partial<Blueprint>,
    labels: LabelPair[],
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.getRepository(Blueprint).update({ storageId: blueprint.storageId }, {
        ...changes,
        updatedAt: new Date(),
      } as QueryDeepPartialEntity<Blueprint>);
      if (!labels.length) return;
      await em.getRepository(BlueprintLabel).insert(
        labels.map(({ key, value }) => ({
          key,
          value,
          labeledModelFk: blueprint.storageId,
          tenantId: blueprint.tenantId,
          creatorId: blueprint.creatorId,
          visibility: blueprint.visibility,
        })),
      );
    });
  }

  /** Ids of the deployments created from the blueprint. */
  async deploymentIds(blueprint: Blueprint): Promise<string[]> {
    const deployments = await this.db.getRepository(Deployment).find({
      select: { id: true },
      where: { blueprintFk: blueprint.storageId },
      order: { id: 'ASC' },
    });
    return deployments.map((deployment) => deployment.id);
  }

  /** Ids of visible, not failed blueprints whose plan imports `id` (`blueprint:<id>`). */
  async importerIds(id: string, scope: TenantScope): Promise<string[]> {
    const rows = await this.visible(scope)
      .andWhere("blueprint.plan -> 'imported_blueprints' ? :imported", { imported: id })
      .andWhere('(blueprint.state IS NULL OR blueprint.state NOT IN (:...failed))', {
        failed: FAILED_STATES,
      })
      .getMany();
    return rows.map((row) => row.id);
  }

  /** Distinct label keys (or values of one key) on the blueprints the caller sees. */
  labelStrings(
    scope: TenantScope,
    query: ListQuery,
    key?: string,
  ): Promise<{ items: string[]; total: number }> {
    const qb = this.db
      .getRepository(BlueprintLabel)
      .createQueryBuilder('label')
      .innerJoin('label.blueprint', 'blueprint');
    return distinctLabelStrings(qb, 'blueprint', scope, query, key);
  }

  private async withLabels(blueprints: Blueprint[]): Promise<BlueprintRow[]> {
    const ids = blueprints.map((blueprint) => blueprint.storageId);
    const labels = ids.length
      ? await this.db.getRepository(BlueprintLabel).find({
          where: { labeledModelFk: In(ids) },
          relations: { creator: true },
          order: { id: 'ASC' },
        })
      : [];
    return blueprints.map((blueprint) => ({
      blueprint,
      tenantName: blueprint.tenant?.name ?? '',
      creatorName: blueprint.creator?.username ?? '',
      uploadExecution: blueprint.uploadExecution ?? null,
      labels: labels
        .filter((label) => label.labeledModelFk === blueprint.storageId)
        .map((label) => ({
          key: label.key,
          value: label.value,
          createdAt: label.createdAt,
          creatorName: label.creator?.username ?? '',
        })),
    }));
  }
}
