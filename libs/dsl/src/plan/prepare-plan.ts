import { Locate } from '../errors';
import { evaluateStatic, FunctionScope, StaticContext } from '../functions/static';
import { collectParentCapabilities, collectSecrets, containsIntrinsicFunction } from '../functions';
import { generateNodeInstances, InstanceGenerationOptions } from '../instances';
import { cloneJson, isObject, Json, JsonObject } from '../json';
import {
  DataTypeDefinition,
  PropertySchema,
  resolveDataTypes,
  resolveInputValues,
} from '../schema';
import { BlueprintPlan } from './parse-blueprint';
import { DeploymentPlan, PlanOperation } from './plan-types';

export interface PrepareOptions extends InstanceGenerationOptions {
  locate?: Locate;
}

/**
 * The deployment plan for a blueprint plan and the inputs a deployment is created with (as
 * Cloudify's prepare_deployment_plan): inputs checked and defaulted, static functions evaluated
 * (runtime ones stay in place), and node instances generated.
 */
export function prepareDeploymentPlan(
  blueprintPlan: BlueprintPlan,
  providedInputs: JsonObject = {},
  options: PrepareOptions = {},
): DeploymentPlan {
  const plan = cloneJson(blueprintPlan as unknown as JsonObject) as unknown as DeploymentPlan;
  const dataTypes = resolveDataTypes(
    plan.data_types as Record<string, DataTypeDefinition>,
    options.locate,
  );
  const definitions = plan.inputs as unknown as Record<string, PropertySchema>;
  const inputs = resolveInputValues(definitions, providedInputs, dataTypes);
  const rawProperties = new Map(plan.nodes.map((node) => [node.id, node.properties]));
  const base = {
    inputs,
    locate: options.locate,
    nodeProperties: (name: string) => rawProperties.get(name),
    definitionsVersion: plan.version.definitions_version,
  };
  const evaluate = (
    value: Json,
    scope: FunctionScope,
    path: (string | number)[],
    extra: Partial<StaticContext> = {},
  ) => evaluateStatic(value, { ...base, scope, path, ...extra });

  const evaluatedProperties = new Map<string, JsonObject>();
  for (const node of plan.nodes) {
    const path = ['node_templates', node.id];
    evaluatedProperties.set(
      node.id,
      evaluate(node.properties, 'node_properties', [...path, 'properties'], {
        self: node.id,
      }) as JsonObject,
    );
    evaluateOperations(node.operations, (inputs, opPath) =>
      evaluate(inputs, 'operation_inputs', [...path, 'operations', ...opPath], { self: node.id }),
    );
    node.relationships.forEach((rel, index) => {
      const relPath = [...path, 'relationships', index];
      const ends = { source: node.id, target: rel.target_id };
      rel.properties = evaluate(
        rel.properties,
        'relationship_properties',
        [...relPath, 'properties'],
        ends,
      ) as JsonObject;
      for (const side of ['source_operations', 'target_operations'] as const) {
        evaluateOperations(rel[side], (inputs, opPath) =>
          evaluate(inputs, 'relationship_operation_inputs', [...relPath, side, ...opPath], ends),
        );
      }
    });
  }
  for (const node of plan.nodes)
    node.properties = evaluatedProperties.get(node.id) ?? node.properties;
  plan.outputs = evaluateValues(plan.outputs, 'outputs', evaluate);
  plan.capabilities = evaluateValues(plan.capabilities, 'capabilities', evaluate);
  // Cloudify's prepare_deployment_plan evaluates labels and deployment_settings too; both are
  // fixed when the deployment is created, so they share the labels scope (no get_attribute).
  plan.labels = evaluate(plan.labels, 'labels', ['labels']) as JsonObject;
  plan.deployment_settings = evaluate(plan.deployment_settings, 'labels', [
    'deployment_settings',
  ]) as JsonObject;
  plan.inputs = inputs;
  const everything = valuesWithFunctions(plan);
  plan.requirements = {
    secrets: collectSecrets(everything),
    parent_capabilities: collectParentCapabilities(everything),
  };
  plan.node_instances = generateNodeInstances(plan.nodes, plan.scaling_groups, options);
  return plan;
}

/** Evaluates op inputs; ops shared between `<interface>.<op>` and `<op>` are evaluated once. */
function evaluateOperations(
  operations: Record<string, PlanOperation>,
  evaluate: (inputs: JsonObject, path: (string | number)[]) => Json,
): void {
  const done = new Map<PlanOperation, JsonObject>();
  for (const [name, op] of Object.entries(operations)) {
    let inputs = done.get(op);
    if (!inputs && Object.keys(op.inputs).length === 0) inputs = op.inputs;
    if (!inputs) {
      inputs = evaluate(op.inputs, [name, 'inputs']) as JsonObject;
      done.set(op, inputs);
    }
    operations[name] = {
      ...op,
      inputs,
      has_intrinsic_functions: containsIntrinsicFunction(inputs),
    };
  }
}

function evaluateValues(
  entries: JsonObject,
  scope: 'outputs' | 'capabilities',
  evaluate: (value: Json, scope: FunctionScope, path: (string | number)[]) => Json,
): JsonObject {
  const result: JsonObject = {};
  for (const [name, entry] of Object.entries(entries)) {
    result[name] = isObject(entry)
      ? { ...entry, value: evaluate(entry.value, scope, [scope, name, 'value']) }
      : entry;
  }
  return result;
}

/** Where a plan can hold functions: node and relationship properties and inputs, outputs, capabilities. */
function valuesWithFunctions(plan: DeploymentPlan): Json {
  const values: Json[] = [plan.outputs, plan.capabilities];
  for (const node of plan.nodes) {
    values.push(node.properties, ...Object.values(node.operations).map((op) => op.inputs));
    for (const rel of node.relationships) {
      values.push(rel.properties);
      for (const op of [
        ...Object.values(rel.source_operations),
        ...Object.values(rel.target_operations),
      ])
        values.push(op.inputs);
    }
  }
  return values;
}
