import { PaginationDto } from '../../openapi/list-envelope.dto';

/** How many executions a purge deleted. */
export class PurgeCountDto {
  count: number;
}

/** `metadata` of the purge answer (pagination only). */
export class PurgeMetadataDto {
  pagination: PaginationDto;
}

/** DELETE /executions: `{items: [{count}], metadata}`. */
export class PurgeResultDto {
  items: PurgeCountDto[];
  metadata: PurgeMetadataDto;
}
