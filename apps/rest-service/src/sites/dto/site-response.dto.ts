import { Visibility } from '@nestify/common';

/** A site as Cloudify returns it (it has no `id`: the name is its key). */
export class SiteResponseDto {
  name: string;
  /** `"lat, long"` or null. */
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  created_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const SITE_FIELDS = [
  'name',
  'location',
  'latitude',
  'longitude',
  'created_at',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
