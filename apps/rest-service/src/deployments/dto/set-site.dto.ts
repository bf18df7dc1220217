import { IsBoolean, IsOptional, IsString } from 'class-validator';

/** POST /deployments/{id}/set-site: a site to attach, or `detach_site: true`. */
export class SetSiteDto {
  @IsOptional()
  @IsString()
  site_name?: string | null;

  @IsOptional()
  @IsBoolean()
  detach_site?: boolean | null;
}
