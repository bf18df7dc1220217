import { IsIn, IsOptional, IsString } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** PUT /sites/{name}. */
export class CreateSiteDto {
  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  /** `"latitude,longitude"`, e.g. `"32.1, 34.8"`. */
  @IsOptional()
  @IsString()
  location?: string;
}

/** POST /sites/{name}. */
export class UpdateSiteDto extends CreateSiteDto {
  @IsOptional()
  @IsString()
  new_name?: string;
}
