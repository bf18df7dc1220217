import type { JsonObject } from '@nestify/dsl';
import { isObject } from '@nestify/dsl';
import { UsageError } from '../inputs';
import type { LocalPlan } from './local-state';

/** A workflow of the plan: its mapping (`cloudify.plugins.workflows.install`) and parameters. */
export interface PlannedWorkflow {
  mapping: string;
  parameters: JsonObject;
}

/** The plan's workflow `id`, or a UsageError listing the ones there are. */
export function plannedWorkflow(plan: LocalPlan, id: string): PlannedWorkflow {
  const workflow = plan.workflows[id];
  if (!isObject(workflow) || typeof workflow.operation !== 'string') {
    const known = Object.keys(plan.workflows).sort().join(', ');
    throw new UsageError(`the blueprint has no workflow '${id}' (it has: ${known})`);
  }
  const declared = isObject(workflow.parameters) ? workflow.parameters : {};
  return { mapping: workflow.operation, parameters: declared };
}

/**
 * The parameters a run gets: the given ones over the declared defaults. Undeclared names are
 * refused unless custom parameters are allowed, and so are required ones left without a value.
 */
export function mergeParameters(
  workflowId: string,
  declared: JsonObject,
  given: JsonObject,
  allowCustom: boolean,
): JsonObject {
  const custom = Object.keys(given).filter((name) => !(name in declared));
  if (custom.length > 0 && !allowCustom) {
    throw new UsageError(
      `workflow '${workflowId}' does not declare the parameters ${custom.join(', ')} (use --allow-custom-parameters)`,
    );
  }
  const merged: JsonObject = { ...given };
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    if (name in merged) continue;
    if (isObject(spec) && 'default' in spec) merged[name] = structuredClone(spec.default);
    else if (!isObject(spec) || spec.required !== false) missing.push(name);
  }
  if (missing.length > 0) {
    throw new UsageError(`workflow '${workflowId}' needs the parameters ${missing.join(', ')}`);
  }
  return merged;
}
