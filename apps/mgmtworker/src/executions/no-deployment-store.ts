import type { DeploymentStore } from '@nestify/workflows';

const refuse = (): never => {
  throw new Error('This execution has no deployment');
};

/** The DeploymentStore of executions without a deployment (system workflows). */
export const NO_DEPLOYMENT_STORE: DeploymentStore = {
  load: async () => refuse(),
  loadInstances: async () => refuse(),
  updateInstance: async () => refuse(),
  startModification: async () => refuse(),
  finishModification: async () => refuse(),
  rollbackModification: async () => refuse(),
  listStartedModifications: async () => [],
};
