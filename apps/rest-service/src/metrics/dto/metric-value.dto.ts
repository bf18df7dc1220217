/** One value of a series: raw, or a bucket's aggregate. */
export class MetricValueDto {
  deployment_id: string;
  node_instance_id: string;
  /** The node (template) name. */
  node_name: string;
  metric: string;
  /** The value's time, or the start of its bucket (ISO 8601). */
  time: string;
  /** The value, or the bucket's aggregate. */
  value: number;
  /** Values in the bucket (bucketed queries only). */
  count?: number;
  min?: number;
  max?: number;
  /** Where a bucket came from: `rollup` (downsampled store) or `raw`. */
  source: 'raw' | 'rollup';
}
