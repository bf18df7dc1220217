import { Injectable } from '@nestjs/common';
import { BadParametersError } from '@nestify/common';
import { BlueprintsService } from '../blueprints/blueprints.service';
import { BlueprintResponseDto } from '../blueprints/dto/blueprint-response.dto';
import { ListEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { DeploymentsService } from '../deployments/deployments.service';
import { DeploymentResponseDto } from '../deployments/dto/deployment-response.dto';
import { FilteredResource, FilterRule, parseFilterRules } from '../filters/filter-rules';
import { FiltersService } from '../filters/filters.service';
import { SearchBodyDto } from './dto/search-body.dto';

/** What a search asks beyond the list query: body rules and a saved filter. */
export interface SearchRequest {
  body: SearchBodyDto;
  filterId?: string;
}

/** Lists of deployments and blueprints narrowed by filter rules. */
@Injectable()
export class SearchesService {
  constructor(
    private readonly filters: FiltersService,
    private readonly deployments: DeploymentsService,
    private readonly blueprints: BlueprintsService,
  ) {}

  async searchDeployments(
    query: ListQuery,
    scope: TenantScope,
    request: SearchRequest,
    extra: { searchName?: string; groupId?: string },
  ): Promise<ListEnvelope<Partial<DeploymentResponseDto>>> {
    const filterRules = await this.rulesFor('deployments', request, scope);
    return this.deployments.list(query, scope, { ...extra, filterRules });
  }

  async searchBlueprints(
    query: ListQuery,
    scope: TenantScope,
    request: SearchRequest,
  ): Promise<ListEnvelope<Partial<BlueprintResponseDto>>> {
    const filterRules = await this.rulesFor('blueprints', request, scope);
    return this.blueprints.list(query, scope, filterRules);
  }

  /** The body's rules plus the saved filter's, without repeats. */
  private async rulesFor(
    resource: FilteredResource,
    { body, filterId }: SearchRequest,
    scope: TenantScope,
  ): Promise<FilterRule[]> {
    if (body.constraints !== undefined) {
      if (body.filter_rules !== undefined || filterId !== undefined) {
        throw new BadParametersError(
          'You should provide either filter_id/filter_rules or DSL constraints, not both',
        );
      }
      throw new BadParametersError(`DSL constraints are not supported when searching ${resource}`);
    }
    const rules = parseFilterRules(body.filter_rules ?? [], resource);
    if (filterId === undefined) return rules;
    const seen = new Set(rules.map((rule) => JSON.stringify(rule)));
    for (const rule of await this.filters.rules(resource, filterId, scope)) {
      const normal: FilterRule = {
        key: rule.key,
        values: rule.values,
        operator: rule.operator,
        type: rule.type,
      };
      if (!seen.has(JSON.stringify(normal))) rules.push(normal);
    }
    return rules;
  }
}
