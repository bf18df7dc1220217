export * from './function-names';
export {
  ALL_FUNCTION_NAMES,
  type AnyFunctionName,
  type Call,
  containsIntrinsicFunction,
  EXTRA_FUNCTION_NAMES,
  formatPath,
  isCall,
  parseCall,
  RUNTIME_FUNCTION_NAMES,
} from './catalog';
export { evaluateStatic, type FunctionScope, type StaticContext } from './static';
export {
  evaluateCapabilities,
  evaluateFunctions,
  evaluateOutputs,
  type RuntimeContext,
  type RuntimeNode,
  type RuntimeNodeInstance,
  type RuntimeOptions,
  type RuntimeStorage,
} from './runtime';
export {
  collectInterDeploymentFunctions,
  collectParentCapabilities,
  collectSecrets,
  expandInterDeploymentFunctions,
  type IddNodeInstance,
  type IddScope,
  type InterDeploymentFunction,
} from './collect';
