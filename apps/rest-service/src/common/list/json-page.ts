import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ListQuery } from './list-query';

/**
 * A response body serialised already (by PostgreSQL). RawJsonInterceptor sends it as-is with a
 * JSON content type, so a large page is never parsed into objects only to be stringified again.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * A JSON object expression of the given response fields, in that order: `json_build_object('id',
 * ni.id, …)::text`. Field names come from a fixed map (never from the request) and each
 * expression is a mapped column, so nothing user-supplied reaches the SQL text.
 */
export function jsonObjectSql(selects: Record<string, string>, fields: readonly string[]): string {
  const pairs = fields.map((field) => `'${field}', ${selects[field]}`);
  // json_build_object takes at most 100 arguments; Cloudify's resources have far fewer fields.
  return `json_build_object(${pairs.join(', ')})::text`;
}

/**
 * Runs a listed query (filters, sort and paging applied) selecting only each row's JSON text and
 * the total ignoring paging, and joins the rows into a JSON array — the page as text.
 */
export async function fetchJsonPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  itemSql: string,
  query: ListQuery,
): Promise<{ itemsJson: string; total: number }> {
  if (query.size === 0 && !query.getAllResults)
    return { itemsJson: '[]', total: await qb.getCount() };
  const rows = await qb
    .select(itemSql, '_item')
    .addSelect('COUNT(*) OVER()', '_total')
    .getRawMany<{ _item: string; _total: string }>();
  if (rows.length === 0) {
    // An empty page past the end still reports the total.
    return { itemsJson: '[]', total: query.offset > 0 ? await qb.getCount() : 0 };
  }
  return {
    itemsJson: `[${rows.map((row) => row._item).join(',')}]`,
    total: Number(rows[0]._total),
  };
}

/** Cloudify's list envelope around a page already serialised as a JSON array. */
export function rawListEnvelope(itemsJson: string, total: number, query: ListQuery): RawJson {
  const metadata = {
    pagination: { total, size: query.size, offset: query.offset },
    filtered: null,
  };
  return new RawJson(`{"items":${itemsJson},"metadata":${JSON.stringify(metadata)}}`);
}
