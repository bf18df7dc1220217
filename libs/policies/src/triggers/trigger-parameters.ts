import { Json, JsonObject } from '../model/json';
import { Breach } from '../types/policy-type';

/** The fields of the firing event `{get_property: [SELF, <field>]}` may name (Riemann's event). */
export function eventFields(breach: Breach): JsonObject {
  const { metric } = breach;
  return {
    node_id: metric.nodeInstanceId,
    node_name: metric.nodeName,
    deployment_id: metric.deploymentId,
    service: metric.service,
    metric: metric.value,
    time: metric.time,
    ttl: metric.ttl,
    host: metric.host ?? null,
    state: metric.state ?? null,
    tenant_name: metric.tenantName ?? null,
    diagnose: breach.diagnose,
  };
}

function isSelfProperty(value: Json): value is { get_property: [string, string] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const args = value.get_property;
  return (
    keys.length === 1 &&
    Array.isArray(args) &&
    args.length === 2 &&
    args[0] === 'SELF' &&
    typeof args[1] === 'string'
  );
}

/**
 * Trigger parameters with every `{get_property: [SELF, field]}` replaced by that field of the
 * firing event (e.g. `node_id` → the failed node instance, `diagnose` → why). An unknown field
 * resolves to null.
 */
export function resolveTriggerParameters(parameters: Json, event: JsonObject): Json {
  if (isSelfProperty(parameters)) return event[parameters.get_property[1]] ?? null;
  if (Array.isArray(parameters))
    return parameters.map((item) => resolveTriggerParameters(item, event));
  if (typeof parameters === 'object' && parameters !== null) {
    const resolved: JsonObject = {};
    for (const [key, value] of Object.entries(parameters))
      resolved[key] = resolveTriggerParameters(value, event);
    return resolved;
  }
  return parameters;
}
