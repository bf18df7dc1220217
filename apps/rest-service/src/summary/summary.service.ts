import { Injectable } from '@nestjs/common';
import { ListEnvelope } from '../common/list/list-envelope';
import { RawQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { SummaryItemDto } from './dto/summary-item.dto';
import { parseSummaryRequest, SummaryRequest } from './summary-request';
import { SummaryRepository, SummaryRow } from './summary.repository';
import { EXECUTION_SCHEDULE_FIELDS, SUMMARY_SOURCES } from './summary-sources';

export type SummaryResource = keyof typeof SUMMARY_SOURCES;

/** Folds grouped rows into Cloudify's items, one per target value (sub-groups nested). */
export function foldSummary(
  rows: SummaryRow[],
  type: string,
  targetField: string,
  subField?: string,
): SummaryItemDto[] {
  const items = new Map<unknown, SummaryItemDto>();
  for (const row of rows) {
    let item = items.get(row.target);
    if (!item) {
      item = { [targetField]: row.target, [type]: 0 };
      items.set(row.target, item);
    }
    item[type] = (item[type] as number) + row.count;
    if (subField) {
      const key = `by ${subField}`;
      const subs = (item[key] as SummaryItemDto[] | undefined) ?? [];
      subs.push({ [subField]: row.sub, [type]: row.count });
      item[key] = subs;
    }
  }
  return [...items.values()];
}

/** Counts of deployments, nodes, instances, executions or blueprints per field value. */
@Injectable()
export class SummaryService {
  constructor(private readonly summaries: SummaryRepository) {}

  async summarize(
    resource: SummaryResource,
    raw: RawQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<SummaryItemDto>> {
    const source = SUMMARY_SOURCES[resource];
    const request = parseSummaryRequest(
      raw,
      Object.keys(source.groupFields),
      Object.keys(source.filters),
    );
    const { rows, total } = await this.summaries.summarize(source, request, scope);
    return envelope(
      foldSummary(rows, source.type, request.targetField, request.subField),
      total,
      request,
    );
  }

  /** nestify keeps no execution schedules: the request is checked, the answer is empty. */
  executionSchedules(raw: RawQuery): ListEnvelope<SummaryItemDto> {
    const fields = EXECUTION_SCHEDULE_FIELDS;
    return envelope([], 0, parseSummaryRequest(raw, fields, fields));
  }
}

function envelope(
  items: SummaryItemDto[],
  total: number,
  { query }: SummaryRequest,
): ListEnvelope<SummaryItemDto> {
  return {
    items,
    metadata: { pagination: { total, size: query.size, offset: query.offset }, filtered: null },
  };
}
