import { Metric, seriesKey } from '../metrics/metric';
import { deploymentKey, DeploymentPlan } from '../model/deployment-policies';
import { Breach } from '../types/policy-type';
import { PolicyTypeRegistry } from '../types/policy-type.registry';
import { fingerprintOf, LoadedDeployment, LoadedPolicy, LoadError } from './loaded-deployment';

/** A policy went into its triggering state: what the trigger dispatcher receives. */
export interface Firing {
  policy: LoadedPolicy;
  breach: Breach;
  /** Restraints apply per target: the policy on one node instance, or on its whole group. */
  targetKey: string;
}

export interface PolicyEngineOptions {
  types?: PolicyTypeRegistry;
  onFiring: (firing: Firing) => void;
  onLoadError?: (error: LoadError) => void;
}

/**
 * Evaluates metrics against the loaded deployments' policies, in memory and synchronously, so it
 * keeps up with a metrics stream; what fires goes to `onFiring`. Framework-free: the app feeds it
 * metrics, ticks `expire` and loads plans.
 */
export class PolicyEngine {
  private readonly deployments = new Map<string, LoadedDeployment>();
  /** Deployment id → keys, for metrics that do not name their tenant. */
  private readonly byId = new Map<string, Set<string>>();
  private readonly types: PolicyTypeRegistry;
  private replaying = false;
  /** Metrics evaluated against at least one policy. */
  evaluated = 0;

  constructor(private readonly options: PolicyEngineOptions) {
    this.types = options.types ?? new PolicyTypeRegistry();
  }

  /** Loads (or reloads, when its policies changed) a deployment; returns its policy count. */
  load(plan: DeploymentPlan): number {
    const key = deploymentKey(plan.tenantName, plan.deploymentId);
    const current = this.deployments.get(key);
    if (current && current.fingerprint === fingerprintOf(plan)) return current.policies.length;
    const { deployment, errors } = LoadedDeployment.build(plan, this.types);
    errors.forEach((error) => this.options.onLoadError?.(error));
    this.deployments.set(key, deployment);
    const keys = this.byId.get(plan.deploymentId) ?? new Set<string>();
    keys.add(key);
    this.byId.set(plan.deploymentId, keys);
    return deployment.policies.length;
  }

  unload(tenantName: string, deploymentId: string): void {
    const key = deploymentKey(tenantName, deploymentId);
    this.deployments.delete(key);
    const keys = this.byId.get(deploymentId);
    keys?.delete(key);
    if (keys?.size === 0) this.byId.delete(deploymentId);
  }

  loaded(): DeploymentPlan[] {
    return [...this.deployments.values()].map((deployment) => deployment.plan);
  }

  isLoaded(tenantName: string, deploymentId: string): boolean {
    return this.deployments.has(deploymentKey(tenantName, deploymentId));
  }

  /** The deployment a metric belongs to: by tenant and id, or by id when it is unambiguous. */
  deploymentOf(metric: Metric): LoadedDeployment | undefined {
    if (metric.tenantName !== undefined)
      return this.deployments.get(deploymentKey(metric.tenantName, metric.deploymentId));
    const keys = this.byId.get(metric.deploymentId);
    if (keys?.size !== 1) return undefined;
    return this.deployments.get(keys.values().next().value as string);
  }

  /** Evaluates one metric; false when no policy watches it (or it is a repeat). */
  observe(metric: Metric, nowMs = Date.now()): boolean {
    const deployment = this.deploymentOf(metric);
    const policies = deployment?.byNode.get(metric.nodeName);
    if (!deployment || !policies) return false;
    const series = seriesKey(metric);
    const newest = deployment.newest.get(series);
    if (newest !== undefined && metric.time <= newest) return false;
    deployment.newest.set(series, metric.time);
    let watched = false;
    for (const policy of policies) {
      if (!policy.listensTo(metric.service)) continue;
      watched = true;
      const stateKey = policy.stateKey(metric);
      const breach = policy.stateFor(stateKey).observe(metric, nowMs);
      if (breach) this.fire(policy, stateKey, breach);
    }
    if (watched) this.evaluated++;
    return watched;
  }

  /** Runs the expiry check of every state that has one (host_failure). */
  expire(nowMs = Date.now()): void {
    for (const deployment of this.deployments.values()) {
      for (const policy of deployment.policies) {
        for (const [stateKey, state] of policy.states) {
          for (const breach of state.expire?.(nowMs) ?? []) this.fire(policy, stateKey, breach);
        }
      }
    }
  }

  /**
   * Rebuilds the states from stored metrics (oldest first) without firing anything: transitions
   * replayed here already fired before the restart. Then lets states adjust to the downtime.
   */
  rebuild(metrics: Iterable<Metric>, startMs = Date.now()): number {
    let newestMs = 0;
    let count = 0;
    this.replaying = true;
    try {
      for (const metric of metrics) {
        this.observe(metric, metric.time * 1000);
        newestMs = Math.max(newestMs, metric.time * 1000);
        count++;
      }
    } finally {
      this.replaying = false;
    }
    for (const deployment of this.deployments.values())
      for (const policy of deployment.policies)
        for (const state of policy.states.values()) state.resume?.(newestMs, startMs);
    return count;
  }

  private fire(policy: LoadedPolicy, stateKey: string, breach: Breach): void {
    if (this.replaying) return;
    this.options.onFiring({ policy, breach, targetKey: `${policy.key}/${stateKey}` });
  }
}
