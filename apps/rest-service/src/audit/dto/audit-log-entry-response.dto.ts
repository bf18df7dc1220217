/** One audited request as GET /audit-log returns it. */
export class AuditLogEntryResponseDto {
  id: number;
  /** When the response was sent. */
  created_at: string | null;
  /** The authenticated user; null when the request did not authenticate. */
  username: string | null;
  tenant_name: string | null;
  method: string;
  /** The request path, without its query string. */
  path: string;
  status: number;
  request_id: string;
  ip: string;
}

export const AUDIT_LOG_FIELDS = [
  'id',
  'created_at',
  'username',
  'tenant_name',
  'method',
  'path',
  'status',
  'request_id',
  'ip',
] as const;
