import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ColumnMapping } from '../common/list/list-query-builder';
import { SqlParams, visibleSql } from '../common/tenancy/tenant-sql';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { SummaryRequest } from './summary-request';
import { SummarySource } from './summary-sources';

/** One group: its target value, its sub-field value (when asked), and how many rows. */
export interface SummaryRow {
  target: unknown;
  sub?: unknown;
  count: number;
}

function filterValue(raw: string, kind: ColumnMapping['kind']): unknown {
  const lower = raw.toLowerCase();
  if (lower === 'none' || lower === 'null') return null;
  if (kind === 'number') return Number(raw);
  if (kind === 'boolean') return lower === 'true' || lower === '1';
  return raw;
}

function filterSql(source: SummarySource, request: SummaryRequest, params: SqlParams): string[] {
  const clauses: string[] = [];
  for (const [field, raws] of Object.entries(request.query.filters)) {
    const column = source.filters[field];
    if (!column || !raws.length) continue;
    const values = raws.map((raw) => filterValue(raw, column.kind));
    const present = values.filter((value) => value !== null);
    const alternatives: string[] = [];
    if (present.length) alternatives.push(`${column.expression} = ANY(${params.add(present)})`);
    if (present.length < values.length) alternatives.push(`${column.expression} IS NULL`);
    clauses.push(`(${alternatives.join(' OR ')})`);
  }
  return clauses;
}

/** Counts rows per field value (and sub-field value) in one GROUP BY query. */
@Injectable()
export class SummaryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async summarize(
    source: SummarySource,
    request: SummaryRequest,
    scope: TenantScope,
  ): Promise<{ rows: SummaryRow[]; total: number }> {
    const { query, targetField, subField } = request;
    const params = new SqlParams();
    const where = [
      visibleSql('t', scope, params, query.allTenants),
      ...filterSql(source, request, params),
    ];
    const groups = [source.groupFields[targetField]];
    if (subField) groups.push(source.groupFields[subField]);
    const grouped = `FROM ${source.from} WHERE ${where.join(' AND ')}
      GROUP BY ${groups.map((_, i) => i + 1).join(', ')}`;
    const columns = [`${groups[0]} AS target`];
    if (subField) columns.push(`${groups[1]} AS sub`);

    const whereParams = [...params.values];
    if (query.size === 0 && !query.getAllResults) {
      return { rows: [], total: await this.countGroups(columns, grouped, whereParams) };
    }
    const paging = query.getAllResults
      ? ''
      : `LIMIT ${params.add(query.size)} OFFSET ${params.add(query.offset)}`;
    const rows: (SummaryRow & { total: number })[] = await this.dataSource.query(
      `SELECT ${columns.join(', ')}, count(*)::int AS count, (count(*) OVER ())::int AS total
       ${grouped} ORDER BY ${groups.map((_, i) => `${i + 1} NULLS LAST`).join(', ')} ${paging}`,
      params.values,
    );
    const total = rows.length
      ? rows[0].total
      : query.offset > 0
        ? await this.countGroups(columns, grouped, whereParams)
        : 0;
    return { rows: rows.map(({ total: _total, ...row }) => row), total };
  }

  private async countGroups(
    columns: string[],
    grouped: string,
    params: unknown[],
  ): Promise<number> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM (SELECT ${columns.join(', ')} ${grouped}) g`,
      params,
    );
    return total;
  }
}
