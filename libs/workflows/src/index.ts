// Task-graph engine, workflow API and built-in workflows (framework-free).
export * from './ports';
export {
  ExecutionCancelled,
  NonRecoverableError,
  OperationRetry,
  RecoverableError,
  WorkflowFailed,
} from './engine/errors';
export * from './engine/tasks';
export type { TaskLinksView } from './engine/task-links';
export { TaskGraph, TaskSequence, Parallel, parallel, SubgraphBuilder } from './engine/task-graph';
export type { TaskContainer } from './engine/task-graph';
export { HandlerRegistry, HandlerResults, handlerRef } from './engine/handlers';
export type { HandlerAction, HandlerEnv, HandlerResult, TaskHandler } from './engine/handlers';
export { EventFactory } from './engine/event-factory';
export { failureSummary } from './engine/failure-summary';
export { dumpTask, restoreGraph } from './engine/task-store';
export { WorkflowContext } from './context/workflow-context';
export type { SendEventOptions, WorkflowContextOptions } from './context/workflow-context';
export { WfNode, WfNodeInstance, WfRelationship } from './context/model';
export type { ExecuteOperationOptions } from './context/model';
export { WorkflowLogger } from './context/workflow-logger';
export {
  LifecycleProcessor,
  healNodeInstances,
  installNodeInstances,
  reinstallNodeInstances,
  rollbackNodeInstances,
  uninstallNodeInstances,
} from './lifecycle/lifecycle-processor';
export type { LifecycleOptions } from './lifecycle/lifecycle-processor';
export {
  WorkflowRegistry,
  defaultWorkflowRegistry,
  registerBuiltinWorkflows,
} from './workflow-registry';
export type { WorkflowDefinition, WorkflowFunction } from './workflow-registry';
export { runWorkflow } from './run-workflow';
export type { WorkflowOutcome } from './run-workflow';
export * from './testing';
