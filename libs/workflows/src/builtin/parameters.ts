import type { JsonMap, JsonValue } from '../ports';
import type { WfNodeInstance } from '../context/model';
import type { WorkflowContext } from '../context/workflow-context';

export function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function bool(value: JsonValue | undefined, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function map(value: JsonValue | undefined): JsonMap {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonMap) : {};
}

/**
 * The instances selected by `node_ids`, `node_instance_ids` and `type_names` (empty = all):
 * instances of selected nodes, intersected with the instance ids.
 */
export function filterInstances(ctx: WorkflowContext, params: JsonMap): WfNodeInstance[] {
  const nodeIds = new Set(stringList(params.node_ids));
  const instanceIds = new Set(stringList(params.node_instance_ids));
  const typeNames = stringList(params.type_names);
  const selected: WfNodeInstance[] = [];
  for (const node of ctx.nodes) {
    if (nodeIds.size > 0 && !nodeIds.has(node.id)) continue;
    if (typeNames.length > 0 && !typeNames.some((t) => node.typeHierarchy.includes(t))) continue;
    for (const instance of node.instances) {
      if (instanceIds.size === 0 || instanceIds.has(instance.id)) selected.push(instance);
    }
  }
  return selected;
}

/** Every instance not in `selected`. */
export function othersThan(
  ctx: WorkflowContext,
  selected: Iterable<WfNodeInstance>,
): WfNodeInstance[] {
  const ids = new Set([...selected].map((i) => i.id));
  return ctx.nodeInstances.filter((i) => !ids.has(i.id));
}
