import { PlanNode, PlanNodeInstance, ScalingGroup } from '../plan/plan-types';
import { buildDeploymentGraph } from './build';
import { extractAll } from './extract';
import { InstanceIdAllocator } from './ids';
import { InstanceGenerationOptions } from './modify';
import { PlanModel } from './plan-model';

/** node_instances for a plan's nodes and scaling groups, as prepare_deployment_plan does. */
export function generateNodeInstances(
  nodes: PlanNode[],
  scalingGroups: Record<string, ScalingGroup>,
  options: InstanceGenerationOptions = {},
): PlanNodeInstance[] {
  const model = new PlanModel(nodes, scalingGroups);
  const graph = buildDeploymentGraph(model, { ids: new InstanceIdAllocator(options.newId) });
  return extractAll(graph);
}
