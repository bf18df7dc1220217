import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export const METRIC_AGGREGATES = ['avg', 'min', 'max', 'sum', 'count'] as const;
export type MetricAggregate = (typeof METRIC_AGGREGATES)[number];

/** GET /metrics query: one deployment's values, optionally bucketed. */
export class ListMetricsQueryDto {
  @IsString()
  @MinLength(1)
  deployment_id: string;

  @IsOptional()
  @IsString()
  node_instance_id?: string;

  /** Service name, e.g. `cpu.total.user`. */
  @IsOptional()
  @IsString()
  metric?: string;

  /** Start of the range (ISO 8601 or Unix seconds); default: an hour before `to`. */
  @IsOptional()
  @IsString()
  from?: string;

  /** End of the range, exclusive (ISO 8601 or Unix seconds); default: now. */
  @IsOptional()
  @IsString()
  to?: string;

  /**
   * Bucket width: seconds, or a number with `s`, `m`, `h` or `d`. Without it the raw values are
   * returned; with it one value per series and bucket, from the rollups when the width is a
   * multiple of theirs (METRICS_ROLLUP_SECONDS), else from the raw values.
   */
  @IsOptional()
  @IsString()
  @Matches(/^\d+[smhd]?$/, { message: 'interval must be seconds or a number with s, m, h or d' })
  interval?: string;

  /** How a bucket's values combine (default `avg`). */
  @IsOptional()
  @IsIn(METRIC_AGGREGATES)
  aggregate?: MetricAggregate;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  _size?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  _offset?: number;
}
