/** `metadata.pagination` of a list response. */
export class PaginationDto {
  /** Items matching the query, over all pages. */
  total: number;
  /** The requested page size. */
  size: number;
  offset: number;
}

/** `metadata` of a list response. */
export class ListMetadataDto {
  pagination: PaginationDto;
  filtered: number | null;
}
