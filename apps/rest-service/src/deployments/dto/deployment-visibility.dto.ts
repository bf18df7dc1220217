import { IsIn, IsString } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** PATCH /deployments/{id}/set-visibility. */
export class DeploymentVisibilityDto {
  @IsString()
  @IsIn(VISIBILITIES, {
    message:
      "Invalid visibility: `$value`. Valid visibility's values are: ['private', 'tenant', 'global']",
  })
  visibility: Visibility;
}
