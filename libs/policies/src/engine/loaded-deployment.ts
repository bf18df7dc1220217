import { Metric } from '../metrics/metric';
import { CommonPolicySettings, commonSettings } from '../model/common-settings';
import { DeploymentPlan, PolicySpec, policiesOfPlan } from '../model/deployment-policies';
import { PolicyState } from '../types/policy-type';
import { PolicyTypeRegistry } from '../types/policy-type.registry';

/** A policy ready to evaluate: its spec, settings and a state per node instance (or group). */
export class LoadedPolicy {
  readonly states = new Map<string, PolicyState>();
  private readonly serviceMatches = new Map<string, boolean>();

  constructor(
    readonly spec: PolicySpec,
    readonly settings: CommonPolicySettings,
    private readonly newState: () => PolicyState,
  ) {}

  get key(): string {
    const { tenantName, deploymentId, groupName, policyName } = this.spec;
    return `${tenantName}/${deploymentId}/${groupName}/${policyName}`;
  }

  /** Whether the policy listens to a service name (remembered: names repeat endlessly). */
  listensTo(service: string): boolean {
    let matches = this.serviceMatches.get(service);
    if (matches === undefined) {
      matches = this.settings.services.some((pattern) => pattern.test(service));
      if (this.serviceMatches.size < 10_000) this.serviceMatches.set(service, matches);
    }
    return matches;
  }

  /** The state a metric updates: the instance's own, or the group's one. */
  stateKey(metric: Metric): string {
    return this.settings.operatesOnGroup ? '*' : metric.nodeInstanceId;
  }

  stateFor(key: string): PolicyState {
    let state = this.states.get(key);
    if (!state) {
      state = this.newState();
      this.states.set(key, state);
    }
    return state;
  }
}

export interface LoadError {
  spec: PolicySpec;
  error: Error;
}

/** A deployment's policies, indexed by the node names they watch. */
export class LoadedDeployment {
  readonly byNode = new Map<string, LoadedPolicy[]>();
  readonly policies: LoadedPolicy[] = [];
  /** Newest metric time per series, to drop redeliveries and out-of-order values. */
  readonly newest = new Map<string, number>();

  constructor(
    readonly plan: DeploymentPlan,
    readonly fingerprint: string,
  ) {}

  static build(
    plan: DeploymentPlan,
    types: PolicyTypeRegistry,
  ): { deployment: LoadedDeployment; errors: LoadError[] } {
    const deployment = new LoadedDeployment(plan, fingerprintOf(plan));
    const errors: LoadError[] = [];
    for (const spec of policiesOfPlan(plan)) {
      try {
        deployment.add(
          new LoadedPolicy(spec, commonSettings(spec.properties), factoryOf(spec, types)),
        );
      } catch (error) {
        errors.push({ spec, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return { deployment, errors };
  }

  private add(policy: LoadedPolicy): void {
    this.policies.push(policy);
    for (const node of policy.spec.nodeNames) {
      const list = this.byNode.get(node) ?? [];
      list.push(policy);
      this.byNode.set(node, list);
    }
  }
}

function factoryOf(spec: PolicySpec, types: PolicyTypeRegistry): () => PolicyState {
  const type = types.get(spec.type);
  if (!type) {
    const source = spec.typeDefinition?.source;
    throw new Error(
      `policy type '${spec.type}' has no implementation registered` +
        (typeof source === 'string' ? ` (its source in the blueprint: ${source})` : ''),
    );
  }
  return type.createStateFactory(spec.properties);
}

/** Same plan sections → same policies: a re-sync keeps the states. */
export function fingerprintOf(plan: DeploymentPlan): string {
  return JSON.stringify([plan.groups, plan.policyTypes, plan.policyTriggers]);
}
