import { BadParametersError } from '@nestify/common';
import { ListQuery, parseListQuery, RawQuery } from '../common/list/list-query';

/** A validated summary request: what to group by, plus the usual list parameters. */
export interface SummaryRequest {
  targetField: string;
  subField?: string;
  query: ListQuery;
}

function single(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** Refuses a field the resource cannot be summarized by, naming the allowed ones. */
export function checkSummaryField(field: string, allowed: readonly string[]): string {
  if (!allowed.includes(field)) {
    throw new BadParametersError(
      `Invalid summary field: ${field}. Allowed values: ${allowed.join(', ')}`,
    );
  }
  return field;
}

/**
 * Reads `_target_field` (required), `_sub_field` (optional) — both among `groupFields` — and
 * the common list parameters with equality filters on `filterFields`.
 */
export function parseSummaryRequest(
  raw: RawQuery,
  groupFields: readonly string[],
  filterFields: readonly string[],
): SummaryRequest {
  const target = single(raw._target_field);
  if (target === undefined) throw new BadParametersError('_target_field: field required');
  const sub = single(raw._sub_field);
  return {
    targetField: checkSummaryField(target, groupFields),
    subField: sub === undefined ? undefined : checkSummaryField(sub, groupFields),
    query: parseListQuery(raw, { fields: filterFields }),
  };
}
