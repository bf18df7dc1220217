import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditLogEntry } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';

const COLUMNS: ColumnMap = {
  id: { expression: 'entry.id', kind: 'number' },
  created_at: { expression: 'entry.createdAt' },
  username: { expression: 'entry.username' },
  tenant_name: { expression: 'entry.tenantName' },
  method: { expression: 'entry.method' },
  path: { expression: 'entry.path' },
  status: { expression: 'entry.status', kind: 'number' },
  request_id: { expression: 'entry.requestId' },
  ip: { expression: 'entry.ip' },
};

export type NewAuditLogEntry = Omit<AuditLogEntry, 'id'>;

/** Time bounds of a listing (inclusive), on top of the shared list parameters. */
export interface AuditLogRange {
  since?: Date;
  until?: Date;
}

@Injectable()
export class AuditLogRepository {
  constructor(
    @InjectRepository(AuditLogEntry) private readonly entries: Repository<AuditLogEntry>,
  ) {}

  /** One multi-row INSERT for the whole batch. */
  async insertMany(rows: NewAuditLogEntry[]): Promise<void> {
    if (rows.length) await this.entries.insert(rows);
  }

  async list(
    query: ListQuery,
    range: AuditLogRange,
  ): Promise<{ items: AuditLogEntry[]; total: number }> {
    const qb = this.entries.createQueryBuilder('entry');
    if (range.since) qb.andWhere('entry.createdAt >= :since', { since: range.since });
    if (range.until) qb.andWhere('entry.createdAt <= :until', { until: range.until });
    applyListQuery(qb, query, COLUMNS, 'path');
    if (!query.sort.length) qb.orderBy('entry.id', 'DESC');
    return fetchPage(qb, query);
  }
}
