import { Firing } from '../engine/policy-engine';
import { isJsonObject } from '../model/json';
import { eventFields, resolveTriggerParameters } from './trigger-parameters';
import { TriggerType } from './trigger-type';

/** What the dispatcher needs from the manager: state lookups and the trigger implementations. */
export interface TriggerPorts {
  /** The node instance's state, or undefined when it does not exist. */
  nodeInstanceState(
    tenantName: string,
    deploymentId: string,
    nodeInstanceId: string,
  ): Promise<string | undefined>;
  /** Whether an execution is still waiting or running (not terminated, failed or cancelled). */
  executionActive(tenantName: string, executionId: string): Promise<boolean>;
  triggerType(name: string): TriggerType | undefined;
}

export type TriggerDecision =
  | 'triggered'
  | 'skipped_running'
  | 'skipped_interval'
  | 'skipped_not_started'
  | 'failed'
  | 'dropped';

export interface DecisionReport {
  firing: Firing;
  decision: TriggerDecision;
  message: string;
  executionIds: string[];
}

interface TargetState {
  lastTriggeredMs?: number;
  executionIds: string[];
}

interface DeploymentQueue {
  tail: Promise<void>;
  size: number;
}

/** Cloudify 4 bounded each deployment's trigger queue at 1000. */
export const TRIGGER_QUEUE_LIMIT = 1000;

/**
 * Runs the triggers of firing policies, one at a time per deployment (a bounded queue), behind the
 * restraints: no new trigger for a target while an execution it started is active, none within
 * `interval_between_workflows` of the last, and none for a node instance that is not `started`
 * (when `is_node_started_before_workflow`).
 */
export class TriggerDispatcher {
  private readonly queues = new Map<string, DeploymentQueue>();
  private readonly targets = new Map<string, TargetState>();

  constructor(
    private readonly ports: TriggerPorts,
    private readonly report: (report: DecisionReport) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a firing behind the deployment's earlier ones; false when the queue is full. */
  dispatch(firing: Firing): boolean {
    const { tenantName, deploymentId } = firing.policy.spec;
    const key = `${tenantName}/${deploymentId}`;
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), size: 0 };
    if (queue.size >= TRIGGER_QUEUE_LIMIT) {
      this.report({ firing, decision: 'dropped', message: 'trigger queue full', executionIds: [] });
      return false;
    }
    queue.size++;
    queue.tail = queue.tail
      .then(() => this.process(firing))
      .then(this.report, (error: Error) =>
        this.report({ firing, decision: 'failed', message: error.message, executionIds: [] }),
      )
      .finally(() => {
        queue.size--;
        if (queue.size === 0 && this.queues.get(key) === queue) this.queues.delete(key);
      });
    this.queues.set(key, queue);
    return true;
  }

  /** Resolves once every queued firing is handled. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()].map((q) => q.tail));
  }

  /** Forgets the restraint state of a deployment's targets (it was deleted). */
  forget(tenantName: string, deploymentId: string): void {
    const prefix = `${tenantName}/${deploymentId}/`;
    for (const key of this.targets.keys()) if (key.startsWith(prefix)) this.targets.delete(key);
  }

  private async process(firing: Firing): Promise<DecisionReport> {
    const skip = await this.restraint(firing);
    if (skip) return { firing, ...skip, executionIds: [] };
    const target = this.targets.get(firing.targetKey) ?? { executionIds: [] };
    this.targets.set(firing.targetKey, target);
    const executionIds: string[] = [];
    const messages: string[] = [];
    const event = eventFields(firing.breach);
    for (const trigger of firing.policy.spec.triggers) {
      const type = this.ports.triggerType(trigger.type);
      if (!type) throw new Error(`trigger type '${trigger.type}' has no implementation registered`);
      const parameters = resolveTriggerParameters(trigger.parameters, event);
      const { tenantName, deploymentId } = firing.policy.spec;
      const outcome = await type.fire({
        tenantName,
        deploymentId,
        policy: firing.policy.spec,
        triggerName: trigger.name,
        parameters: isJsonObject(parameters) ? parameters : {},
        breach: firing.breach,
      });
      if (outcome.executionId) executionIds.push(outcome.executionId);
      messages.push(outcome.description ?? `trigger '${trigger.name}' fired`);
      // Restraints count from the first trigger that did something.
      target.lastTriggeredMs = this.now();
      target.executionIds = executionIds;
    }
    return { firing, decision: 'triggered', message: messages.join('; '), executionIds };
  }

  private async restraint(
    firing: Firing,
  ): Promise<{ decision: TriggerDecision; message: string } | undefined> {
    const { settings, spec } = firing.policy;
    const target = this.targets.get(firing.targetKey);
    if (target && target.executionIds.length > 0) {
      const active = await Promise.all(
        target.executionIds.map((id) => this.ports.executionActive(spec.tenantName, id)),
      );
      target.executionIds = target.executionIds.filter((_id, index) => active[index]);
      if (target.executionIds.length > 0)
        return {
          decision: 'skipped_running',
          message: `execution ${target.executionIds.join(', ')} it started is still active`,
        };
    }
    const interval = settings.intervalBetweenWorkflowsMs;
    if (target?.lastTriggeredMs !== undefined && interval > 0) {
      const since = this.now() - target.lastTriggeredMs;
      if (since < interval)
        return {
          decision: 'skipped_interval',
          message: `last trigger ${Math.round(since / 1000)} s ago (interval_between_workflows ${interval / 1000} s)`,
        };
    }
    if (settings.nodeStartedBeforeWorkflow) {
      const instance = firing.breach.metric.nodeInstanceId;
      const state = await this.ports.nodeInstanceState(
        spec.tenantName,
        spec.deploymentId,
        instance,
      );
      if (state !== 'started')
        return {
          decision: 'skipped_not_started',
          message: `node instance ${instance} is ${state ?? 'missing'}, not started`,
        };
    }
    return undefined;
  }
}
