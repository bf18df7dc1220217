import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import {
  createMessageBus,
  MessageBus,
  MetricMessage,
  metricRoutingKey,
  publishMetric,
  publishMetrics,
} from '@nestify/messaging';
import { DeploymentPlan, JsonObject, parseMetric, PolicyEngine } from '@nestify/policies';
import { startRiemannPolicy } from '../apps/riemann-policy/src/riemann-policy.app';
import { PolicyEngineService } from '../apps/riemann-policy/src/policies/policy-engine.service';
import { ManagerHarness } from '../test/mgmtworker/manager-harness';
import { autohealBlueprint } from '../test/riemann-policy/policy-blueprints';
import { BenchReport, round } from './report';

/**
 * Policy engine: BENCH_POLICY_DEPLOYMENTS deployments (default 1,000), each with two threshold,
 * an ewma and a host_failure policy, × 10 metrics each (all watched), streamed as fast as
 * possible — (1) through the engine in-process (decode the wire body, route, evaluate),
 * BENCH_POLICY_ROUNDS rounds; (2) through RabbitMQ into a running riemann-policy,
 * BENCH_POLICY_AMQP_ROUNDS rounds of one metric per message (Diamond), then ten times as many
 * of BENCH_POLICY_PER_MESSAGE per message (batching collectors, `publishMetrics`); then (3) host_failure detection latency on a real manager
 * (REST, mgmtworker, PostgreSQL) while every deployment keeps sending its metrics every
 * BENCH_POLICY_BACKGROUND_INTERVAL_S seconds: from a heartbeat's ttl expiry to the heal
 * execution's `created_at`, BENCH_POLICY_PROBES times.
 */
const DEPLOYMENTS = Number(process.env.BENCH_POLICY_DEPLOYMENTS ?? 1000);
const METRICS_PER_DEPLOYMENT = 10;
const ROUNDS = Number(process.env.BENCH_POLICY_ROUNDS ?? 100);
const ROUNDS_AMQP = Number(process.env.BENCH_POLICY_AMQP_ROUNDS ?? 5);
const PER_MESSAGE = Number(process.env.BENCH_POLICY_PER_MESSAGE ?? 100);
const BACKGROUND_INTERVAL_S = Number(process.env.BENCH_POLICY_BACKGROUND_INTERVAL_S ?? 5);
/** Of the 10 services sent, those some policy watches: all of them. */
const WATCHED_SERVICES = 10;
const PROBES = Number(process.env.BENCH_POLICY_PROBES ?? 4);
const TTL_S = 1;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

let lastRoundTime = 0;
/** Metric time of the next streamed round: now, and always after the previous round's. */
function nextRoundTime(): number {
  lastRoundTime = Math.max(Date.now() / 1000, lastRoundTime + 0.001);
  return lastRoundTime;
}

function syntheticPlan(n: number): DeploymentPlan {
  const policy = (type: string, properties: JsonObject) => ({ type, properties, triggers: {} });
  return {
    tenantName: 'default_tenant',
    deploymentId: `bench${n}`,
    policyTypes: {},
    policyTriggers: {},
    groups: {
      tier: {
        members: ['vm'],
        policies: {
          hot: policy('cloudify.policies.types.threshold', {
            service: 'cpu\\.total\\..*',
            threshold: 1e9,
            stability_time: 10,
          }),
          trend: policy('cloudify.policies.types.ewma_stabilized', {
            service: 'load\\..*',
            threshold: 1e9,
          }),
          down: policy('cloudify.policies.types.host_failure', { service: ['heartbeat'] }),
          full: policy('cloudify.policies.types.threshold', {
            service: '(memory|disk|net)\\..*',
            threshold: 1e9,
          }),
        },
      },
    },
  };
}

const SERVICES = [
  'heartbeat',
  'cpu.total.user',
  'cpu.total.system',
  'cpu.total.idle',
  'load.1m',
  'load.5m',
  'memory.used',
  'memory.free',
  'disk.used',
  'net.rx',
];

/** One round of wire bodies: every deployment's 10 metrics, as Diamond would send them. */
function wireRound(time: number): Array<{ key: string; body: Buffer }> {
  const round: Array<{ key: string; body: Buffer }> = [];
  for (let n = 0; n < DEPLOYMENTS; n++) {
    for (let m = 0; m < METRICS_PER_DEPLOYMENT; m++) {
      const message = {
        deployment_id: `bench${n}`,
        node_name: 'vm',
        node_id: `vm_${n}`,
        service: SERVICES[m],
        metric: (n * 7 + m) % 100,
        time,
        ttl: 60,
        host: `host-${n}`,
        tenant_name: 'default_tenant',
      };
      round.push({
        key: metricRoutingKey(message.deployment_id, 'vm', message.node_id, message.service),
        body: Buffer.from(JSON.stringify(message)),
      });
    }
  }
  return round;
}

function inProcessTimed(report: BenchReport): void {
  const engine = new PolicyEngine({ onFiring: () => undefined });
  for (let n = 0; n < DEPLOYMENTS; n++) engine.load(syntheticPlan(n));
  // Rounds a millisecond apart: every value is fresh (within its ttl) and newer than the last.
  const base = Date.now() / 1000;
  const rounds = Array.from({ length: Math.min(ROUNDS, 20) }, () => wireRound(base));
  let timed = 0;
  let count = 0;
  for (let pass = 0; pass * rounds.length < ROUNDS; pass++) {
    for (let r = 0; r < rounds.length; r++) {
      const time = base + (pass * rounds.length + r) / 1000;
      const start = process.hrtime.bigint();
      for (const { key, body } of rounds[r]) {
        const metric = parseMetric(JSON.parse(body.toString('utf8')), key);
        metric.time = time;
        engine.observe(metric, time * 1000);
        count++;
      }
      timed += seconds(start);
    }
  }
  report.record({
    case: 'in_process_decode_and_evaluate',
    deployments: DEPLOYMENTS,
    metrics: count,
    evaluated: engine.evaluated,
    seconds: round(timed),
    metrics_per_s: Math.round(count / timed),
    metrics_evaluated_per_s: Math.round(engine.evaluated / timed),
    target_per_s: 100_000,
  });
}

async function installProbe(manager: ManagerHarness) {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const runLog = join(manager.dataDir, 'probe.log');
  writeFileSync(runLog, '');
  const blueprint = autohealBlueprint().map((entry) =>
    entry.name === 'bp/blueprint.yaml' && 'body' in entry
      ? { ...entry, body: String(entry.body).replace('deploy: 2', `deploy: ${PROBES}`) }
      : entry,
  );
  await manager.uploadBlueprint('probe', blueprint);
  await manager.createDeployment('probe', 'probe', { run_log: runLog });
  await manager.run('probe', 'install');
  return manager.instances('probe');
}

/**
 * One round of every deployment's 10 metrics, `perMessage` of them per message (1: Diamond's one
 * metric per message), with at most 2,000 messages unconfirmed.
 */
async function publishRound(bus: MessageBus, time: number, perMessage = 1): Promise<number> {
  const pending: Promise<void>[] = [];
  let batch: MetricMessage[] = [];
  let sent = 0;
  const flush = () => {
    if (batch.length === 0) return;
    sent += batch.length;
    pending.push(batch.length === 1 ? publishMetric(bus, batch[0]) : publishMetrics(bus, batch));
    batch = [];
  };
  for (let n = 0; n < DEPLOYMENTS; n++) {
    for (let m = 0; m < METRICS_PER_DEPLOYMENT; m++) {
      batch.push({
        deployment_id: `bench${n}`,
        node_name: 'vm',
        node_id: `vm_${n}`,
        service: SERVICES[m],
        metric: m,
        time,
        ttl: 60,
        tenant_name: 'default_tenant',
      });
      if (batch.length >= perMessage) flush();
    }
    if (pending.length >= 2000) await Promise.all(pending.splice(0));
  }
  flush();
  await Promise.all(pending);
  return sent;
}

/** Publishes `rounds` rounds as fast as possible; times them until the engine evaluated all. */
async function amqpThroughput(
  bus: MessageBus,
  engine: PolicyEngine,
  report: BenchReport,
  perMessage: number,
  rounds: number,
) {
  const before = engine.evaluated;
  const start = process.hrtime.bigint();
  let sent = 0;
  for (let r = 0; r < rounds; r++) sent += await publishRound(bus, nextRoundTime(), perMessage);
  const publishS = seconds(start);
  const expected = (sent * WATCHED_SERVICES) / METRICS_PER_DEPLOYMENT;
  const deadline = Date.now() + 120_000;
  while (engine.evaluated - before < expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const total = seconds(start);
  const evaluated = engine.evaluated - before;
  report.record({
    case: 'rabbitmq_to_engine',
    metrics_per_message: perMessage,
    deployments: DEPLOYMENTS,
    published: sent,
    evaluated,
    publish_s: round(publishS),
    seconds: round(total),
    metrics_per_s: Math.round(sent / total),
    metrics_evaluated_per_s: Math.round(evaluated / total),
    load_avg_1m: round(loadavg()[0]),
  });
}

/** Every deployment's 10 metrics every BACKGROUND_INTERVAL_S (Diamond's cadence), until stopped. */
function backgroundLoad(bus: MessageBus): { stop: () => Promise<number> } {
  let stopped = false;
  let sent = 0;
  const run = (async () => {
    while (!stopped) {
      const started = Date.now();
      sent += await publishRound(bus, nextRoundTime());
      const wait = BACKGROUND_INTERVAL_S * 1000 - (Date.now() - started);
      if (wait > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await run;
      return sent;
    },
  };
}

/** Heartbeats for every probe instance, then silence for one at a time: ms from expiry to heal. */
async function probeLatencies(
  bus: MessageBus,
  instanceIds: string[],
  dataSource: DataSource,
): Promise<number[]> {
  const latencies: number[] = [];
  const beat = (id: string, time: number) =>
    publishMetric(bus, {
      deployment_id: 'probe',
      node_name: 'vm',
      node_id: id,
      service: 'heartbeat',
      metric: 1,
      time,
      ttl: TTL_S,
      tenant_name: 'default_tenant',
    });
  const alive = new Set(instanceIds);
  const timer = setInterval(() => {
    for (const id of alive) void beat(id, Date.now() / 1000);
  }, 200);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const id of instanceIds) {
      alive.delete(id);
      const last = Date.now() / 1000;
      await beat(id, last);
      const expiryMs = (last + TTL_S) * 1000;
      const created = await waitForHeal(dataSource, id, 30_000);
      latencies.push(created - expiryMs);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    clearInterval(timer);
  }
  return latencies;
}

async function waitForHeal(dataSource: DataSource, instanceId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows: Array<{ created_at: Date }> = await dataSource.query(
      `SELECT created_at FROM executions WHERE workflow_id = 'heal'
       AND parameters->>'node_instance_id' = $1`,
      [instanceId],
    );
    if (rows.length > 0) return rows[0].created_at.getTime();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no heal for ${instanceId} within ${timeoutMs} ms`);
}

async function endToEnd(report: BenchReport): Promise<void> {
  const manager = new ManagerHarness();
  await manager.start({
    env: {
      POLICY_SYNC_INTERVAL_MS: '3600000',
      POLICY_EXPIRY_CHECK_MS: '250',
      POLICY_METRICS_PORT: '0',
      MGMTWORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'error',
    },
  });
  const bus = await createMessageBus(manager.config.messaging);
  try {
    const instances = await installProbe(manager);
    const riemann = await startRiemannPolicy(manager.config);
    manager.cleanups.unshift(() => riemann.close());
    const engine = riemann.get(PolicyEngineService).engine;
    // The synthetic deployments exist for the engine only (no stored plan): the periodic sync,
    // which would unload them, is set to an hour.
    for (let n = 0; n < DEPLOYMENTS; n++) engine.load(syntheticPlan(n));
    await amqpThroughput(bus, engine, report, 1, ROUNDS_AMQP);
    // Batches go ten times faster: ten times the rounds for a comparable duration.
    await amqpThroughput(bus, engine, report, PER_MESSAGE, ROUNDS_AMQP * 10);
    const background = backgroundLoad(bus);
    const latencies = await probeLatencies(
      bus,
      instances.map((i) => i.id),
      manager.dataSource,
    );
    const backgroundSent = await background.stop();
    const sorted = [...latencies].sort((a, b) => a - b);
    report.record({
      case: 'host_failure_detection',
      probes: latencies.length,
      ttl_s: TTL_S,
      expiry_check_ms: 250,
      latency_ms_median: Math.round(sorted[Math.floor(sorted.length / 2)]),
      latency_ms_max: Math.round(sorted[sorted.length - 1]),
      latencies_ms: sorted.map((l) => Math.round(l)).join(','),
      target_ms: 1000,
      background_metrics_per_s: Math.round(
        (DEPLOYMENTS * METRICS_PER_DEPLOYMENT) / BACKGROUND_INTERVAL_S,
      ),
      background_sent: backgroundSent,
    });
  } finally {
    await bus.close().catch(() => undefined);
    await manager.close();
  }
}

async function main(): Promise<void> {
  const report = new BenchReport('policies');
  inProcessTimed(report);
  await endToEnd(report);
  process.stderr.write(`saved ${report.save()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
