import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import {
  DecisionReport,
  deploymentKey,
  DeploymentPlan,
  Metric,
  PolicyEngine,
  policiesOfPlan,
  TriggerDispatcher,
} from '@nestify/policies';
import { MetricsStoreRepository } from '../metrics-store/metrics-store.repository';
import { PolicyMetrics } from '../observability/policy-metrics';
import { DeploymentPlansRepository } from '../plans/deployment-plans.repository';
import { PolicyExtensions } from './policy-extensions';
import { PolicyLogPublisher } from './policy-log.publisher';

/** How far back a restart replays stored values: enough for any stability window and ttl. */
function rebuildWindowSeconds(plans: DeploymentPlan[]): number {
  let longest = 0;
  for (const plan of plans)
    for (const spec of policiesOfPlan(plan))
      longest = Math.max(longest, Number(spec.properties.stability_time) || 0);
  return Math.max(300, 2 * longest + 60);
}

/**
 * The policy engine of the manager: loads every deployment's policies from its stored plan (at
 * start-up and every POLICY_SYNC_INTERVAL_MS, or at once for a metric of a deployment it does not
 * know yet), unloads deleted deployments, rebuilds state from the metrics store after a restart,
 * evaluates metrics, checks ttls every POLICY_EXPIRY_CHECK_MS and hands firings to the dispatcher.
 */
@Injectable()
export class PolicyEngineService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PolicyEngineService.name);
  readonly engine: PolicyEngine;
  readonly dispatcher: TriggerDispatcher;
  private readonly timers: NodeJS.Timeout[] = [];
  private syncing?: Promise<void>;
  private markReady!: () => void;
  /** Resolves once policies are loaded and state is rebuilt: metrics wait for it. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  /** Deployment id → until when it is known to have no policies (or not to exist). */
  private readonly withoutPolicies = new Map<string, number>();

  constructor(
    private readonly plans: DeploymentPlansRepository,
    private readonly store: MetricsStoreRepository,
    private readonly metrics: PolicyMetrics,
    private readonly policyLog: PolicyLogPublisher,
    extensions: PolicyExtensions,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {
    this.engine = new PolicyEngine({
      types: extensions.types,
      onFiring: (firing) => this.dispatcher.dispatch(firing),
      onLoadError: ({ spec, error }) =>
        this.logger.warn(
          `policy ${spec.groupName}.${spec.policyName} of ${spec.deploymentId} not loaded: ${error.message}`,
        ),
    });
    this.dispatcher = new TriggerDispatcher(
      {
        nodeInstanceState: (t, d, i) => plans.nodeInstanceState(t, d, i),
        executionActive: (t, id) => plans.executionActive(t, id),
        triggerType: (name) => extensions.trigger(name),
      },
      (report) => this.report(report),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const startMs = Date.now();
    await this.sync();
    const loaded = this.engine.loaded();
    const since = new Date(startMs - rebuildWindowSeconds(loaded) * 1000);
    const stored = await this.store.recent(
      loaded.map((plan) => plan.deploymentId),
      since,
    );
    const replayed = this.engine.rebuild(stored, startMs);
    this.logger.log(
      `policies of ${loaded.length} deployments loaded; state rebuilt from ${replayed} stored metrics`,
    );
    const { syncIntervalMs, expiryCheckMs } = this.config.policies;
    this.every(syncIntervalMs, () => void this.sync().catch((e: Error) => this.warn('sync', e)));
    this.every(expiryCheckMs, () => this.engine.expire());
    this.markReady();
  }

  async onModuleDestroy(): Promise<void> {
    this.timers.forEach((timer) => clearInterval(timer));
    await this.syncing;
    await this.dispatcher.idle();
  }

  /** Evaluates one metric; loads its deployment first when it is new. */
  async observe(metric: Metric): Promise<void> {
    if (!this.engine.deploymentOf(metric)) await this.loadUnknown(metric);
    if (this.engine.observe(metric)) this.metrics.evaluated.inc();
  }

  /** Brings the loaded deployments in line with the stored ones. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const stored = await this.plans.listWithPolicies();
    const keep = new Set<string>();
    for (const plan of stored) {
      keep.add(deploymentKey(plan.tenantName, plan.deploymentId));
      this.engine.load(plan);
    }
    for (const plan of this.engine.loaded()) {
      if (keep.has(deploymentKey(plan.tenantName, plan.deploymentId))) continue;
      this.engine.unload(plan.tenantName, plan.deploymentId);
      this.dispatcher.forget(plan.tenantName, plan.deploymentId);
      this.logger.log(`policies of deployment ${plan.deploymentId} stopped (deleted)`);
    }
    this.updateGauges();
  }

  private async loadUnknown(metric: Metric): Promise<void> {
    const now = Date.now();
    if ((this.withoutPolicies.get(metric.deploymentId) ?? 0) > now) return;
    const found = await this.plans.find(metric.deploymentId, metric.tenantName);
    const withPolicies = found.filter((plan) => policiesOfPlan(plan).length > 0);
    withPolicies.forEach((plan) => this.engine.load(plan));
    // None with policies, or an id several tenants use while the metric names no tenant.
    if (!this.engine.deploymentOf(metric)) {
      this.withoutPolicies.set(metric.deploymentId, now + this.config.policies.syncIntervalMs);
      if (this.withoutPolicies.size > 100_000) this.withoutPolicies.clear();
    }
    this.updateGauges();
  }

  private report(report: DecisionReport): void {
    const { firing, decision, message } = report;
    this.metrics.firings.inc({ decision });
    if (decision === 'triggered') void this.policyLog.publish(report);
    const { spec } = firing.policy;
    const line =
      `policy ${spec.groupName}.${spec.policyName} of ${spec.deploymentId} ` +
      `(${firing.breach.diagnose} on ${firing.breach.metric.nodeInstanceId}): ${decision}: ${message}`;
    if (decision === 'failed' || decision === 'dropped') this.logger.warn(line);
    else this.logger.log(line);
  }

  private updateGauges(): void {
    const loaded = this.engine.loaded();
    this.metrics.deployments.set(loaded.length);
    this.metrics.policies.set(loaded.reduce((n, plan) => n + policiesOfPlan(plan).length, 0));
  }

  private every(ms: number, tick: () => void): void {
    const timer = setInterval(tick, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private warn(what: string, error: Error): void {
    this.logger.warn(`${what} failed: ${error.message}`);
  }
}
