import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createMessageBus, MessageBus, publishMetric } from '@nestify/messaging';
import { metricsCommand } from '../../apps/cli/src/commands/metrics.command';
import { startRiemannPolicy } from '../../apps/riemann-policy/src/riemann-policy.app';
import { MetricsRetentionService } from '../../apps/riemann-policy/src/metrics-store/metrics-retention.service';
import { PolicyEngineService } from '../../apps/riemann-policy/src/policies/policy-engine.service';
import { ManagerHarness } from '../mgmtworker/manager-harness';
import { freePort } from '../support/processes';
import { eventually } from '../mgmtworker/support';
import { MetricStream } from './metric-stream';
import { WebhookTriggerModule } from '../../examples/webhook-trigger/webhook-trigger.module';
import { autohealBlueprint, autoscaleBlueprint, webhookBlueprint } from './policy-blueprints';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The policy engine end to end: a whole manager (REST, mgmtworker, bridge) on real PostgreSQL
 * and RabbitMQ, the riemann-policy beside it, metrics published to `cloudify-monitoring` as
 * agents do, and every effect observed through the REST API.
 */
describe('riemann-policy: monitoring policies, triggers and the metrics store', () => {
  const manager = new ManagerHarness();
  let riemann: INestApplication;
  let bus: MessageBus;
  const streams: MetricStream[] = [];
  /** The instance whose load scaled scaleme (the scale test sets it). */
  let scaledHost = '';

  const executions = async (deploymentId: string, workflowId: string) =>
    (
      await manager
        .http('get', `executions?deployment_id=${deploymentId}&workflow_id=${workflowId}`)
        .expect(200)
    ).body.items as Array<{ id: string; status: string; parameters: Record<string, unknown> }>;

  const deploy = async (id: string, blueprint: () => ReturnType<typeof autohealBlueprint>) => {
    const runLog = join(manager.dataDir, `${id}.log`);
    writeFileSync(runLog, '');
    await manager.uploadBlueprint(id, blueprint());
    await manager.createDeployment(id, id, { run_log: runLog });
    await manager.run(id, 'install');
    const lines = () => readFileSync(runLog, 'utf8').split('\n').filter(Boolean);
    return { instances: await manager.instances(id), lines };
  };

  const stream = (value: () => number) => {
    const s = new MetricStream(bus, value);
    streams.push(s);
    return s;
  };

  const ports = { policy: 0, mgmtworker: 0 };

  beforeAll(async () => {
    ports.policy = await freePort();
    ports.mgmtworker = await freePort();
    await manager.start({
      env: {
        POLICY_SYNC_INTERVAL_MS: '200',
        POLICY_EXPIRY_CHECK_MS: '50',
        POLICY_METRICS_PORT: String(ports.policy),
        MGMTWORKER_METRICS_PORT: String(ports.mgmtworker),
        METRICS_BATCH_LATENCY_MS: '20',
      },
    });
    riemann = await startRiemannPolicy(manager.config, { extensions: [WebhookTriggerModule] });
    bus = await createMessageBus(manager.config.messaging);
  });

  afterEach(() => streams.splice(0).forEach((s) => s.stop()));

  afterAll(async () => {
    await bus?.close();
    await riemann?.close();
    await manager.close();
  });

  it('heals the instance whose heartbeat stops (host_failure → heal reinstalls it), only it', async () => {
    const { instances, lines } = await deploy('healme', autohealBlueprint);
    const [silent, alive] = instances;
    const beats = stream(() => 1)
      .add('healme', 'vm', silent.id, 'heartbeat')
      .add('healme', 'vm', alive.id, 'heartbeat')
      .start();
    await sleep(600);
    expect(await executions('healme', 'heal')).toEqual([]);
    const installed = lines().length;
    // The host goes down: its heartbeat stops and its status check fails.
    writeFileSync(join(manager.dataDir, 'healme.log.down'), `${silent.id}\n`);
    beats.remove(silent.id);

    const [heal] = await eventually('a heal execution', async () => {
      const found = await executions('healme', 'heal');
      return found.length > 0 ? found : undefined;
    });
    expect(heal.parameters).toMatchObject({
      node_instance_id: silent.id,
      diagnose_value: 'heart-beat-failure',
    });
    await manager.waitForStatus(heal.id, 'terminated');
    const logs = await manager.events(heal.id);
    expect(logs.map((item) => item.message)).toContainEqual(
      expect.stringMatching(/^policy watched_vms\.host_down .* fired: heart-beat-failure on /),
    );
    const reinstalled = lines().slice(installed);
    expect(reinstalled).toEqual(
      expect.arrayContaining([`${silent.id} delete`, `${silent.id} create`, `${silent.id} start`]),
    );
    expect(reinstalled.some((line) => line.startsWith(alive.id))).toBe(false);
    // The silent instance stays silent: one breach, one heal (interval_between_workflows 30 s).
    await sleep(500);
    expect(await executions('healme', 'heal')).toHaveLength(1);
    beats.stop();
  });

  it('scales +1 once for a breach held over stability_time; noise below it never fires', async () => {
    const { instances } = await deploy('scaleme', autoscaleBlueprint);
    scaledHost = instances[0].id;
    let cpu = 0;
    const noise = [95, 50, 99, 60, 90, 20];
    const load = stream(() => noise[cpu++ % noise.length])
      .add('scaleme', 'web_host', instances[0].id, 'cpu.total.user')
      .start();
    await sleep(1500);
    expect(await executions('scaleme', 'scale')).toEqual([]);

    const high = () => 95;
    load.stop();
    const sustained = stream(high)
      .add('scaleme', 'web_host', instances[0].id, 'cpu.total.user')
      .start();
    const [scale] = await eventually('a scale execution', async () => {
      const found = await executions('scaleme', 'scale');
      return found.length > 0 ? found : undefined;
    });
    expect(scale.parameters).toMatchObject({ scalable_entity_name: 'web_tier', delta: 1 });
    await manager.waitForStatus(scale.id, 'terminated');
    expect(await manager.instances('scaleme')).toHaveLength(2);
    // Still above the threshold: the same breach does not scale again.
    await sleep(1000);
    expect(await executions('scaleme', 'scale')).toHaveLength(1);
    sustained.stop();
  });

  it('rebuilds state after a restart: no spurious heal of a handled host, no second scale', async () => {
    // Live: the heartbeats of every healme instance but the one healed for silence, and the
    // sustained load that already scaled scaleme once.
    const healme = await manager.instances('healme');
    const healed = (await executions('healme', 'heal'))[0].parameters.node_instance_id;
    const beats = stream(() => 1);
    healme
      .filter((i) => i.id !== healed)
      .forEach((i) => beats.add('healme', 'vm', i.id, 'heartbeat'));
    beats.start();
    stream(() => 97)
      .add('scaleme', 'web_host', scaledHost, 'cpu.total.user')
      .start();
    await sleep(500);
    const heals = (await executions('healme', 'heal')).length;
    const scales = (await executions('scaleme', 'scale')).length;

    await riemann.close();
    await sleep(300);
    riemann = await startRiemannPolicy(manager.config, { extensions: [WebhookTriggerModule] });
    const engine = riemann.get(PolicyEngineService).engine;
    expect(engine.isLoaded('default_tenant', 'healme')).toBe(true);
    await sleep(1500);
    expect(await executions('healme', 'heal')).toHaveLength(heals);
    expect(await executions('scaleme', 'scale')).toHaveLength(scales);
    expect(engine.evaluated).toBeGreaterThan(0);
  });

  it('rebuilds state after a restart: a breach in progress still fires when it has lasted stability_time', async () => {
    const { instances } = await deploy('sustain', autoscaleBlueprint);
    const t0 = Date.now() / 1000 - 2;
    const hot = (time: number) =>
      publishMetric(bus, {
        deployment_id: 'sustain',
        node_name: 'web_host',
        node_id: instances[0].id,
        service: 'cpu.total.user',
        metric: 95,
        time,
        ttl: 60,
        tenant_name: 'default_tenant',
      });
    // Half of the 1 s stability window before the restart, stored…
    await hot(t0);
    await hot(t0 + 0.5);
    await eventually('both values stored', async () => {
      const query = `metrics?deployment_id=sustain&metric=cpu.total.user&from=${Math.floor(t0)}`;
      const body = (await manager.http('get', query).expect(200)).body;
      return body.items.length === 2 || undefined;
    });
    await riemann.close();
    riemann = await startRiemannPolicy(manager.config, { extensions: [WebhookTriggerModule] });
    // …and one value after it: alone it is no breach of 1 s; with the rebuilt start it is.
    await hot(t0 + 1.2);
    const [scale] = await eventually('the scale', async () => {
      const found = await executions('sustain', 'scale');
      return found.length > 0 ? found : undefined;
    });
    await manager.waitForStatus(scale.id, 'terminated');
    expect(await executions('sustain', 'scale')).toHaveLength(1);
  });

  it('stops the policies of a deleted deployment', async () => {
    const { instances } = await deploy('gone', autohealBlueprint);
    const engine = () => riemann.get(PolicyEngineService).engine;
    await eventually(
      'policies of gone loaded',
      () => engine().isLoaded('default_tenant', 'gone') || undefined,
    );
    await manager.run('gone', 'uninstall');
    await manager.http('delete', 'deployments/gone?force=true').expect(204);
    await eventually('policies of gone unloaded', () =>
      engine().isLoaded('default_tenant', 'gone') ? undefined : true,
    );
    const evaluated = engine().evaluated;
    await publishMetric(bus, {
      deployment_id: 'gone',
      node_name: 'vm',
      node_id: instances[0].id,
      service: 'heartbeat',
      metric: 1,
      tenant_name: 'default_tenant',
    });
    await sleep(300);
    expect(engine().evaluated).toBe(evaluated);
  });

  it('stores metrics exactly once and answers raw values and rollups over REST', async () => {
    const [host] = await manager.instances('scaleme');
    const start = Math.floor(Date.now() / 60_000) * 60 - 600; // a whole minute, ten minutes ago
    const sent = [10, 20, 30].map((value, i) => ({
      deployment_id: 'scaleme',
      node_name: 'web_host',
      node_id: host.id,
      service: 'memory.used',
      metric: value,
      time: start + i * 10,
      tenant_name: 'default_tenant',
    }));
    // The second copy of the first value is a redelivery: stored once, counted once.
    for (const message of [...sent, sent[0]]) await publishMetric(bus, message);
    const range = `deployment_id=scaleme&metric=memory.used&from=${start}&to=${start + 60}`;
    const raw = await eventually('three stored values', async () => {
      const body = (await manager.http('get', `metrics?${range}`).expect(200)).body;
      return body.items.length === 3 ? body : undefined;
    });
    expect(raw.items.map((item: { value: number }) => item.value)).toEqual([10, 20, 30]);
    expect(raw.items[0]).toMatchObject({
      node_instance_id: host.id,
      node_name: 'web_host',
      source: 'raw',
      time: new Date(start * 1000).toISOString(),
    });
    expect(raw.metadata.pagination.total).toBe(3);

    const minute = (await manager.http('get', `metrics?${range}&interval=1m`).expect(200)).body;
    expect(minute.items).toEqual([
      expect.objectContaining({ value: 20, count: 3, min: 10, max: 30, source: 'rollup' }),
    ]);
    const peak = (
      await manager.http('get', `metrics?${range}&interval=60&aggregate=max`).expect(200)
    ).body;
    expect(peak.items[0].value).toBe(30);
    const tens = (
      await manager.http('get', `metrics?${range}&interval=15s&aggregate=sum`).expect(200)
    ).body;
    expect(
      tens.items.map((item: { value: number; source: string }) => [item.value, item.source]),
    ).toEqual([
      [30, 'raw'],
      [30, 'raw'],
    ]);
    await manager.http('get', 'metrics?deployment_id=scaleme&interval=soon').expect(400);
    await manager.http('get', 'metrics').expect(400);

    // Retention: raw values go after METRICS_RETENTION_HOURS (here: a purge run as if 168 h less
    // 5 min later, so only these ten-minute-old values are due); their rollup stays.
    const retention = riemann.get(MetricsRetentionService);
    const purged = await retention.purge(Date.now() + 168 * 3600_000 - 5 * 60_000);
    expect(purged.metrics).toBeGreaterThanOrEqual(3);
    expect(purged.rollups).toBe(0);
    expect((await manager.http('get', `metrics?${range}`).expect(200)).body.items).toEqual([]);
    const kept = (await manager.http('get', `metrics?${range}&interval=1m`).expect(200)).body;
    expect(kept.items).toEqual([expect.objectContaining({ value: 20, count: 3 })]);
  });

  it('`nestify metrics send` publishes a value the store keeps', async () => {
    const [host] = await manager.instances('scaleme');
    const time = Math.floor(Date.now() / 1000) - 5;
    await metricsCommand().parseAsync(
      [
        'send',
        'scaleme',
        host.id,
        'disk.free',
        '123.5',
        '--time',
        String(time),
        '--amqp-url',
        manager.config.messaging.url!,
      ],
      { from: 'user' },
    );
    const stored = await eventually('the sent value', async () => {
      const body = (
        await manager.http('get', `metrics?deployment_id=scaleme&metric=disk.free`).expect(200)
      ).body;
      return body.items.length > 0 ? body.items : undefined;
    });
    expect(stored).toEqual([
      expect.objectContaining({ node_instance_id: host.id, node_name: 'web_host', value: 123.5 }),
    ]);
  });

  it('runs a custom trigger from an extension module (the webhook example)', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const { instances } = await deploy('hooked', () => webhookBlueprint(url));
      stream(() => 70)
        .add('hooked', 'vm', instances[0].id, 'temperature')
        .start();
      await eventually('the webhook call', () => (calls.length > 0 ? calls : undefined));
      expect(calls[0]).toMatchObject({
        deployment_id: 'hooked',
        group: 'watched',
        policy: 'too_hot',
        event: { node_id: instances[0].id, diagnose: 'threshold-breached', metric: 70 },
      });
    } finally {
      server.close();
    }
  });

  it("exposes every app's own Prometheus metrics at /metrics", async () => {
    const scrape = (port: number) =>
      fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    const policy = await scrape(ports.policy);
    expect(policy).toMatch(/nestify_policy_metrics_evaluated_total\{app="riemann-policy"\} [1-9]/);
    expect(policy).toMatch(
      /nestify_policy_firings_total\{decision="triggered",app="riemann-policy"\} [1-9]/,
    );
    expect(policy).toMatch(
      /nestify_metrics_store_values_total\{result="inserted",app="riemann-policy"\} [1-9]/,
    );
    expect(await scrape(ports.mgmtworker)).toMatch(
      /nestify_process_cpu_seconds_total\{app="mgmtworker"\}/,
    );

    const response = await manager.http('get', 'status');
    expect(response.status).toBe(200);
    const text = await fetch(`http://127.0.0.1:${manager.config.port}/metrics`).then((r) =>
      r.text(),
    );
    expect(text).toMatch(/nestify_http_request_seconds_count\{[^}]*route="\/api\/v3.1\/status"/);
    expect(text).toMatch(/nestify_process_cpu_seconds_total\{app="rest-service"\}/);
  });
});
