import { IsBoolean, IsNumber, IsOptional, IsString } from 'class-validator';

/** PUT /snapshots/{id}: Cloudify's options; nestify's archive always holds the whole database. */
export class CreateSnapshotDto {
  /** Kept for compatibility: secrets stay encrypted in the dump either way. */
  @IsOptional()
  @IsBoolean()
  include_credentials?: boolean;

  /** `false` leaves stored logs out of the archive. */
  @IsOptional()
  @IsBoolean()
  include_logs?: boolean;

  /** `false` leaves stored events out of the archive. */
  @IsOptional()
  @IsBoolean()
  include_events?: boolean;

  @IsOptional()
  @IsBoolean()
  queue?: boolean;

  @IsOptional()
  @IsString()
  tempdir_path?: string;

  @IsOptional()
  @IsBoolean()
  legacy?: boolean;

  /** Cloudify's client sends it (seconds to wait for a listener); nestify has none to wait for. */
  @IsOptional()
  @IsNumber()
  listener_timeout?: number;
}

/** POST /snapshots/{id}/restore. */
export class RestoreSnapshotDto {
  /** Restore even though the manager has blueprints or deployments (they are replaced). */
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @IsOptional()
  @IsBoolean()
  restore_certificates?: boolean;

  @IsOptional()
  @IsBoolean()
  no_reboot?: boolean;

  @IsOptional()
  @IsBoolean()
  ignore_plugin_failure?: boolean;
}
