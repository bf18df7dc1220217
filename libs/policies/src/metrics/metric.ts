/** A metric value as the policy engine sees it, decoded from a monitoring message. */
export interface Metric {
  /** As sent; the consumer checks it against the stored deployment. */
  tenantName?: string;
  deploymentId: string;
  /** The node (template) name — `node_name` on the wire. */
  nodeName: string;
  /** The node instance id — `node_id` on the wire. */
  nodeInstanceId: string;
  /** The service name, e.g. `cpu.total.user`. */
  service: string;
  value: number;
  /** Unix seconds (fractions allowed). */
  time: number;
  /** Seconds the value stays current. */
  ttl: number;
  host?: string;
  state?: string;
}

/** Cloudify 4's Diamond default: a value is current for a minute. */
export const DEFAULT_METRIC_TTL_SECONDS = 60;

/** The series a value belongs to: one instance's one service. */
export function seriesKey(metric: Metric): string {
  return `${metric.nodeInstanceId}\u0000${metric.service}`;
}

/** When the value stops being current, in epoch milliseconds. */
export function expiresAtMs(metric: Metric): number {
  return (metric.time + metric.ttl) * 1000;
}
