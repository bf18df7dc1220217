import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { BadParametersError, parseTimestamp } from '@nestify/common';
import { RequirePermission } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { AUDIT_LOG_FIELDS, AuditLogEntryResponseDto } from './dto/audit-log-entry-response.dto';
import { AuditLogService } from './audit-log.service';

const LIST_SPEC = {
  fields: AUDIT_LOG_FIELDS,
  searchField: 'path',
  extraParams: ['_since', '_until'],
};

function timeParam(raw: unknown, name: string): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed = typeof raw === 'string' ? parseTimestamp(raw) : null;
  if (!parsed)
    throw new BadParametersError(`\`${name}\` must be a timestamp, got '${String(raw)}'`);
  return parsed;
}

/** The audit log of mutating requests; a permission no role but sys_admin holds. */
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @RequirePermission('audit_log_view')
  @ApiListResponse(AuditLogEntryResponseDto)
  @ApiQuery({ name: '_since', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: '_until', required: false, schema: { type: 'string', format: 'date-time' } })
  list(@Query() query: RawQuery): Promise<ListEnvelope<Partial<AuditLogEntryResponseDto>>> {
    const { _since, _until, ...rest } = query;
    return this.audit.list(parseListQuery(rest, LIST_SPEC), {
      since: timeParam(_since, '_since'),
      until: timeParam(_until, '_until'),
    });
  }
}
