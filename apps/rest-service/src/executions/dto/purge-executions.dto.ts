import { IsInt, IsOptional, IsString, Min } from 'class-validator';

/** DELETE /executions body: keep the newest `keep_last`, or delete those created before `to_datetime`. */
export class PurgeExecutionsDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  keep_last?: number;

  @IsOptional()
  @IsString()
  to_datetime?: string;
}
