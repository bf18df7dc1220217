import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ListQuery } from './list-query';

/** How a response field maps to SQL: a column expression, and how to read filter strings. */
export interface ColumnMapping {
  expression: string;
  kind?: 'text' | 'number' | 'boolean';
}

export type ColumnMap = Record<string, ColumnMapping>;

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
      search: `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
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
