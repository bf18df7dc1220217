import type { JsonMap } from './ports';
import type { WorkflowContext } from './context/workflow-context';
import { HandlerRegistry, registerEngineHandlers } from './engine/handlers';
import { registerLifecycleHandlers } from './lifecycle/lifecycle-handlers';
import { heal } from './builtin/heal';
import { install, reinstall, rollback, uninstall } from './builtin/lifecycle-workflows';
import {
  checkDrift,
  checkStatus,
  executeOperation,
  pull,
  restart,
  start,
  stop,
} from './builtin/operation-workflows';
import { scaleEntity } from './builtin/scale';
import { installNewAgents, validateAgents } from './builtin/agent-workflows';

export type WorkflowFunction = (ctx: WorkflowContext, parameters: JsonMap) => Promise<void>;

export interface WorkflowDefinition {
  fn: WorkflowFunction;
  /** May run again with `resume: true` after a failure or cancel. */
  resumable: boolean;
}

const BUILTIN_PREFIX = 'default_workflows.';

/**
 * Workflow mappings (`cloudify.plugins.workflows.install`, `my_plugin.workflows.foo`) to their
 * TypeScript functions, and the named task handlers their graphs use.
 */
export class WorkflowRegistry {
  private readonly workflows = new Map<string, WorkflowDefinition>();
  readonly handlers = new HandlerRegistry();

  register(mapping: string, fn: WorkflowFunction, options: { resumable?: boolean } = {}): this {
    this.workflows.set(mapping, { fn, resumable: options.resumable ?? false });
    return this;
  }

  resolve(mapping: string): WorkflowDefinition | undefined {
    const name = mapping.startsWith(BUILTIN_PREFIX)
      ? mapping.slice(BUILTIN_PREFIX.length)
      : mapping;
    return this.workflows.get(name);
  }
}

const BUILTINS: Array<[string, WorkflowFunction, boolean]> = [
  ['install', install, true],
  ['uninstall', uninstall, true],
  ['reinstall', reinstall, true],
  ['start', start, true],
  ['stop', stop, true],
  ['restart', restart, true],
  ['pull', pull, true],
  ['execute_operation', executeOperation, true],
  ['check_status', checkStatus, true],
  ['rollback', rollback, true],
  ['check_drift', checkDrift, true],
  ['validate_agents', validateAgents, true],
  ['install_new_agents', installNewAgents, true],
  ['scale_entity', scaleEntity, true],
  ['auto_heal_reinstall_node_subgraph', heal, false],
];

/** The built-in workflows under `cloudify.plugins.workflows.*`, with every built-in handler. */
export function registerBuiltinWorkflows(registry: WorkflowRegistry): WorkflowRegistry {
  for (const [name, fn, resumable] of BUILTINS) {
    registry.register(`cloudify.plugins.workflows.${name}`, fn, { resumable });
  }
  registerEngineHandlers(registry.handlers);
  registerLifecycleHandlers(registry.handlers);
  return registry;
}

export function defaultWorkflowRegistry(): WorkflowRegistry {
  return registerBuiltinWorkflows(new WorkflowRegistry());
}
