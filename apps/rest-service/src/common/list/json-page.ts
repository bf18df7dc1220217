import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { preparedQuery, statementName } from '../db/prepared-query';
import { ListQuery } from './list-query';

/**
 * A response body serialised already (by PostgreSQL) into UTF-8 bytes. RawJsonInterceptor sends
 * it as-is with a JSON content type: a large page is never parsed into objects only to be
 * stringified again, nor re-encoded on its way to the socket.
 */
export class RawJson {
  constructor(readonly bytes: Buffer) {}
}

/** One page of a list as JSON object texts (one per row), and the total ignoring paging. */
export interface JsonPage {
  items: string[];
  total: number;
}

/**
 * Runs a listed query (filters, sort and paging applied) that returns each row as the JSON
 * object of the given response fields, in that order, plus the total ignoring paging.
 * `selects` maps every field to a column expression from a fixed map (never from the request),
 * so nothing user-supplied reaches the SQL text. The statement is prepared on its connection.
 */
export async function fetchJsonPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  selects: Record<string, string>,
  fields: readonly string[],
  query: ListQuery,
): Promise<JsonPage> {
  if (query.size === 0 && !query.getAllResults) return { items: [], total: await qb.getCount() };
  qb.select(selects[fields[0]], fields[0]);
  for (const field of fields.slice(1)) qb.addSelect(selects[field], field);
  const [pageSql, parameters] = qb.addSelect('COUNT(*) OVER()', '_total').getQueryAndParameters();
  // row_to_json runs on the sorted, paged rows only (after the window and the sort, which then
  // move narrow rows) and writes compact JSON; the LATERAL picks the fields without _total.
  const columns = fields.map((field) => `page."${field}"`).join(', ');
  const sql = `SELECT row_to_json(item)::text AS _item, page._total
                 FROM (${pageSql}) page, LATERAL (SELECT ${columns}) item`;
  const rows = await preparedQuery(qb.connection)<{ _item: string; _total: string }>(
    statementName(sql),
    sql,
    parameters,
  );
  if (rows.length === 0) {
    // An empty page past the end still reports the total.
    return { items: [], total: query.offset > 0 ? await qb.getCount() : 0 };
  }
  return { items: rows.map((row) => row._item), total: Number(rows[0]._total) };
}

const COMMA = 0x2c;

/**
 * Cloudify's list envelope around a page of JSON object texts, written straight into one buffer
 * (no joined string, no second encoding when it is sent).
 */
export function rawListEnvelope({ items, total }: JsonPage, query: ListQuery): RawJson {
  const metadata = {
    pagination: { total, size: query.size, offset: query.offset },
    filtered: null,
  };
  const head = '{"items":[';
  const tail = `],"metadata":${JSON.stringify(metadata)}}`;
  let length = head.length + Buffer.byteLength(tail) + Math.max(items.length - 1, 0);
  for (const item of items) length += Buffer.byteLength(item);
  const bytes = Buffer.allocUnsafe(length);
  let offset = bytes.write(head, 0);
  items.forEach((item, index) => {
    if (index > 0) bytes[offset++] = COMMA;
    offset += bytes.write(item, offset);
  });
  bytes.write(tail, offset);
  return new RawJson(bytes);
}
