export { generateNodeInstances } from './generate';
export { modifyDeployment } from './modify';
export type {
  DeploymentModification,
  InstanceGenerationOptions,
  ModifyDeploymentInput,
} from './modify';
export type { NodeModification } from './build';
export type { InstanceModificationKind, ModifiedNodeInstance } from './extract';
export { normalizeScalingGroups } from './scaling-groups';
export { randomInstanceId } from './ids';
export type { NewInstanceId } from './ids';
