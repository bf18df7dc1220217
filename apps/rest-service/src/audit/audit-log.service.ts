import { Injectable } from '@nestjs/common';
import { AuditLogEntry } from '@nestify/model';
import { formatTimestamp } from '@nestify/common';
import { listEnvelope, ListEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { AuditLogEntryResponseDto } from './dto/audit-log-entry-response.dto';
import { AuditLogRange, AuditLogRepository } from './audit-log.repository';

function toResponse(entry: AuditLogEntry): AuditLogEntryResponseDto {
  return {
    id: Number(entry.id),
    created_at: formatTimestamp(entry.createdAt),
    username: entry.username,
    tenant_name: entry.tenantName,
    method: entry.method,
    path: entry.path,
    status: entry.status,
    request_id: entry.requestId,
    ip: entry.ip,
  };
}

@Injectable()
export class AuditLogService {
  constructor(private readonly repository: AuditLogRepository) {}

  async list(
    query: ListQuery,
    range: AuditLogRange,
  ): Promise<ListEnvelope<Partial<AuditLogEntryResponseDto>>> {
    const { items, total } = await this.repository.list(query, range);
    return listEnvelope(items.map(toResponse), total, query);
  }
}
