import { DEFAULT_METRIC_TTL_SECONDS, Metric } from './metric';

/** A monitoring message that cannot be a metric; the consumer dead-letters it with the reason. */
export class MetricFormatError extends Error {}

type Fields = Record<string, unknown>;

function text(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function number(fields: Fields, name: string): number | undefined {
  const value = fields[name];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/**
 * The words of a routing key `<deployment>.<node name>.<node instance>.<metric…>`; the metric
 * keeps its dots. Used for what the body leaves out, as Diamond's publisher put the context there.
 */
function routingWords(routingKey: string | undefined): Partial<Metric> {
  const words = routingKey?.split('.') ?? [];
  if (words.length < 4) return {};
  return {
    deploymentId: words[0],
    nodeName: words[1],
    nodeInstanceId: words[2],
    service: words.slice(3).join('.'),
  };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new MetricFormatError(`metric message without ${name}`);
  return value;
}

/**
 * Decodes one Diamond-style metric message (`service`, `metric`, `time`, `ttl`, `node_id`,
 * `node_name`, `deployment_id`, `host`, `state`, nestify's `tenant_name`). A missing `time` is
 * `now`, a missing `ttl` Cloudify's 60 s; context missing from the body comes from the routing key.
 */
export function parseMetric(body: unknown, routingKey?: string, nowMs = Date.now()): Metric {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new MetricFormatError('a metric message is a JSON object');
  const fields = body as Fields;
  const fromKey = routingWords(routingKey);
  const ttl = number(fields, 'ttl') ?? DEFAULT_METRIC_TTL_SECONDS;
  if (ttl <= 0) throw new MetricFormatError('metric ttl must be positive');
  return {
    tenantName: text(fields, 'tenant_name'),
    deploymentId: required(text(fields, 'deployment_id') ?? fromKey.deploymentId, 'deployment_id'),
    nodeName: required(text(fields, 'node_name') ?? fromKey.nodeName, 'node_name'),
    nodeInstanceId: required(text(fields, 'node_id') ?? fromKey.nodeInstanceId, 'node_id'),
    service: required(text(fields, 'service') ?? fromKey.service, 'service'),
    value: required(number(fields, 'metric'), 'a numeric metric'),
    time: number(fields, 'time') ?? nowMs / 1000,
    ttl,
    host: text(fields, 'host'),
    state: text(fields, 'state'),
  };
}

/**
 * Decodes a monitoring message: one metric object (Diamond's way) or an array of them (batching
 * producers). One bad element rejects the whole message, so nothing is half-applied.
 */
export function parseMetrics(body: unknown, routingKey?: string, nowMs = Date.now()): Metric[] {
  if (!Array.isArray(body)) return [parseMetric(body, routingKey, nowMs)];
  return body.map((item, index) => {
    try {
      return parseMetric(item, undefined, nowMs);
    } catch (error) {
      throw new MetricFormatError(`metric ${index}: ${(error as Error).message}`);
    }
  });
}
