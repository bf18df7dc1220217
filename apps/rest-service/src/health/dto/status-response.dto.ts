import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** One service in `GET /status`. */
export class ServiceReportDto {
  status: 'Active' | 'Inactive';
  is_remote: boolean;
  /** Service-specific details (instances and heartbeats, backend kind, last error). */
  extra_info: Record<string, unknown>;
}

/** `GET /status`: the manager's overall state and each service's (none with `summary=true`). */
export class StatusResponseDto {
  status: 'OK' | 'Degraded' | 'Fail';
  /** Keyed by display name: `PostgreSQL`, `RabbitMQ`, `Management Worker`, … */
  // The plugin cannot describe a record of classes. (Registered by @ApiExtraModels on the route.)
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ServiceReportDto) } })
  services: Record<string, ServiceReportDto>;
}
