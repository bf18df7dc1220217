import { Command } from 'commander';
import { AmqpMessageBus, CORE_TOPOLOGY, MetricMessage, publishMetric } from '@nestify/messaging';
import { UsageError } from '../inputs';

const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672/';
const CONNECT_TIMEOUT_MS = 10_000;

interface SendOptions {
  nodeName?: string;
  ttl: string;
  time?: string;
  host?: string;
  tenant: string;
  amqpUrl: string;
}

function number(value: string, what: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new UsageError(`${what} must be a number, not '${value}'`);
  return parsed;
}

/** `vm_a1b2c3` → `vm`: node instance ids are `<node>_<6 characters>`. */
export function nodeNameOf(nodeInstanceId: string): string {
  const match = /^(.+)_[a-z0-9]{6}$/.exec(nodeInstanceId);
  if (!match) throw new UsageError(`cannot tell the node of '${nodeInstanceId}': give --node-name`);
  return match[1];
}

/** The metric message `metrics send` publishes, from its arguments. */
export function metricMessageOf(
  deploymentId: string,
  nodeInstanceId: string,
  service: string,
  value: string,
  options: Omit<SendOptions, 'amqpUrl'>,
): MetricMessage {
  const ttl = number(options.ttl, '--ttl');
  if (ttl <= 0) throw new UsageError('--ttl must be positive');
  return {
    deployment_id: deploymentId,
    node_name: options.nodeName ?? nodeNameOf(nodeInstanceId),
    node_id: nodeInstanceId,
    service,
    metric: number(value, 'the value'),
    time: options.time === undefined ? Date.now() / 1000 : number(options.time, '--time'),
    ttl,
    host: options.host,
    tenant_name: options.tenant,
  };
}

async function send(
  deploymentId: string,
  nodeInstanceId: string,
  service: string,
  value: string,
  options: SendOptions,
): Promise<void> {
  const message = metricMessageOf(deploymentId, nodeInstanceId, service, value, options);
  const bus = await AmqpMessageBus.connect({
    url: options.amqpUrl,
    maxBytes: 1024 * 1024,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    connectionName: 'nestify metrics send',
  }).catch((error: Error) => {
    throw new Error(`cannot reach RabbitMQ at ${options.amqpUrl}: ${error.message}`);
  });
  try {
    await bus.declare(CORE_TOPOLOGY);
    await publishMetric(bus, message);
  } finally {
    await bus.close();
  }
}

/** `nestify metrics send`: what an agent's collector does, by hand (tests, scripts, demos). */
export function metricsCommand(): Command {
  const metrics = new Command('metrics').description('metrics for the policy engine and store');
  metrics
    .command('send')
    .description(
      'publish one metric value to cloudify-monitoring as an agent does; policies evaluate it ' +
        'and the metrics store keeps it',
    )
    .argument('<deployment-id>')
    .argument('<node-instance-id>')
    .argument('<metric>', 'the service name, e.g. cpu.total.user')
    .argument('<value>', 'a number')
    .option('--node-name <name>', 'the node of the instance (default: from the instance id)')
    .option('--ttl <seconds>', 'how long the value stays current', '60')
    .option('--time <unix-seconds>', 'when it was measured (default: now)')
    .option('--host <name>', 'the host that measured it')
    .option('--tenant <name>', 'the tenant of the deployment', 'default_tenant')
    .option('--amqp-url <url>', "the manager's RabbitMQ", DEFAULT_AMQP_URL)
    .action(send);
  return metrics;
}
