import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TenantScope, whereVisible } from '../tenancy/tenant-scope';
import { ListQuery } from './list-query';

/** How a response field maps to SQL: a column expression, and how to read filter strings. */
export interface ColumnMapping {
  expression: string;
  kind?: 'text' | 'number' | 'boolean';
}

export type ColumnMap = Record<string, ColumnMapping>;

/** Escapes `\`, `%` and `_` so text matches literally inside an ILIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An ILIKE pattern matching `text` anywhere (the `_search` semantics). */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

function filterValue(raw: string, kind: ColumnMapping['kind']): string | number | boolean | null {
  if (raw.toLowerCase() === 'none' || raw.toLowerCase() === 'null') return null;
  if (kind === 'number') return Number(raw);
  if (kind === 'boolean') return ['true', '1'].includes(raw.toLowerCase());
  return raw;
}

/**
 * Applies a parsed list query to a TypeORM query builder: equality filters (several values are
 * ORed, `None` matches NULL), the `_search` substring, sorting and paging. Field names were
 * validated by parseListQuery; only mapped expressions reach SQL, and values are parameters.
 */
export function applyListQuery<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: ListQuery,
  columns: ColumnMap,
  searchField?: string,
): SelectQueryBuilder<T> {
  let param = 0;
  for (const [field, rawValues] of Object.entries(query.filters)) {
    const column = columns[field];
    if (!column || rawValues.length === 0) continue;
    const parsed = rawValues.map((raw) => filterValue(raw, column.kind));
    const nonNull = parsed.filter((v) => v !== null);
    const wantsNull = nonNull.length < parsed.length;
    qb.andWhere(
      new Brackets((where) => {
        if (nonNull.length) {
          const name = `f${param++}`;
          where.orWhere(`${column.expression} IN (:...${name})`, { [name]: nonNull });
        }
        if (wantsNull) where.orWhere(`${column.expression} IS NULL`);
      }),
    );
  }
  if (query.search !== undefined && searchField && columns[searchField]) {
    qb.andWhere(`${columns[searchField].expression} ILIKE :search`, {
      search: containsPattern(query.search),
    });
  }
  query.sort.forEach(({ field, direction }, index) => {
    const column = columns[field];
    if (!column) return;
    if (index === 0) qb.orderBy(column.expression, direction);
    else qb.addOrderBy(column.expression, direction);
  });
  if (!query.getAllResults) qb.offset(query.offset).limit(query.size);
  return qb;
}

/**
 * Runs a listed query: the page of entities and the total ignoring paging. `_size=0` asks only
 * for the total (TypeORM would read LIMIT 0 as no limit).
 */
export async function fetchPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: ListQuery,
): Promise<{ items: T[]; total: number }> {
  if (query.size === 0 && !query.getAllResults) return { items: [], total: await qb.getCount() };
  const [items, total] = await qb.getManyAndCount();
  return { items, total };
}

/**
 * Distinct label keys (or, given `key`, the values of that key) of the resources the caller
 * sees, for GET /labels/<resources>. `qb` selects labels as `label`, joined to their resource as
 * `ownerAlias`.
 */
export async function distinctLabelStrings(
  qb: SelectQueryBuilder<ObjectLiteral>,
  ownerAlias: string,
  scope: TenantScope,
  query: ListQuery,
  key?: string,
): Promise<{ items: string[]; total: number }> {
  const column = key === undefined ? 'label.key' : 'label.value';
  qb.select(column, 'item').distinct(true);
  whereVisible(qb, ownerAlias, scope);
  if (key !== undefined) qb.andWhere('label.key = :key', { key });
  if (query.search !== undefined) {
    qb.andWhere(`${column} ILIKE :search`, { search: containsPattern(query.search) });
  }
  const rows = await qb.orderBy('item', 'ASC').getRawMany<{ item: string }>();
  const all = rows.map((row) => row.item);
  const items = query.getAllResults ? all : all.slice(query.offset, query.offset + query.size);
  return { items, total: all.length };
}
