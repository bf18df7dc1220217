// The operation worker: consumes operation tasks, runs plugin operations, replies.
export * from './context/manager-client';
export { RestManagerClient } from './context/rest-manager-client';
export { serializeError } from './errors/serialize-error';
export { OperationWorker } from './worker/operation-worker';
export type { OperationWorkerOptions } from './worker/operation-worker';
export { PluginRegistry } from './worker/plugin-registry';
export { parseOperationTask } from './worker/task-message';
export type { OperationTask, OperationTaskContext } from './worker/task-message';
export { SCRIPT_PLUGIN } from './script/script.plugin';
export { ProcessException } from './script/process-exception';
export { NOOP_PLUGIN } from './plugins/noop.plugin';
export { defaultPluginRegistry } from './plugins/default-plugins';
export { CTX_CLI_PATH } from './script/ctx-bin';
