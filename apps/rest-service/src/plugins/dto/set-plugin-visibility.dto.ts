import { IsIn, IsString } from 'class-validator';
import { Visibility } from '@nestify/common';

/** PATCH /plugins/{id}/set-visibility: `tenant` or `global` (private cannot be set back). */
export class SetPluginVisibilityDto {
  @IsString()
  @IsIn([Visibility.Tenant, Visibility.Global], {
    message: "Invalid visibility: `$value`. Valid visibility's values are: ['tenant', 'global']",
  })
  visibility: Visibility;
}
