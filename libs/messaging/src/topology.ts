/**
 * The RabbitMQ topology of the manager (shared/spec/messaging.md §2), declared here and nowhere
 * else. Both buses — real RabbitMQ and the in-process one — apply these declarations, and the AMQP
 * bus re-applies them after every reconnect.
 */

export type ExchangeType = 'direct' | 'topic' | 'fanout';

export interface ExchangeSpec {
  name: string;
  type: ExchangeType;
  durable: boolean;
}

export interface BindingSpec {
  exchange: string;
  routingKey: string;
}

export interface QueueSpec {
  name: string;
  durable: boolean;
  /** Deleted when its last consumer goes (heartbeat and reply queues). */
  autoDelete?: boolean;
  /** Only the declaring connection may use it; gone when that connection closes. */
  exclusive?: boolean;
  /** Rejected messages go to the dead-letter exchange (every queue that carries work or data). */
  deadLetter?: boolean;
  bindings: BindingSpec[];
}

export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
}

export const EXCHANGES = {
  management: 'cloudify.management',
  events: 'cloudify-events-topic',
  logs: 'cloudify-logs',
  monitoring: 'cloudify-monitoring',
  heartbeat: 'nestify.heartbeat',
  deadLetter: 'nestify.dead-letter',
} as const;

export const QUEUES = {
  workflows: 'cloudify.management_workflow',
  operations: 'cloudify.management_operation',
  events: 'cloudify-events',
  logs: 'cloudify-logs',
  policies: 'riemann-policy',
  metricsStore: 'metrics-store',
  deadLetter: 'nestify.dead-letter',
} as const;

export const ROUTING_KEYS = {
  workflow: 'workflow',
  operation: 'operation',
  service: 'service',
} as const;

/** Publishing to the default exchange delivers straight to the queue named by the routing key. */
export const DEFAULT_EXCHANGE = '';

const durableQueue = (name: string, ...bindings: BindingSpec[]): QueueSpec => ({
  name,
  durable: true,
  deadLetter: true,
  bindings,
});

/** Everything that exists for the whole life of the manager. */
export const CORE_TOPOLOGY: Topology = {
  exchanges: [
    { name: EXCHANGES.management, type: 'direct', durable: true },
    { name: EXCHANGES.events, type: 'topic', durable: true },
    { name: EXCHANGES.logs, type: 'fanout', durable: true },
    { name: EXCHANGES.monitoring, type: 'topic', durable: true },
    { name: EXCHANGES.heartbeat, type: 'fanout', durable: false },
    { name: EXCHANGES.deadLetter, type: 'fanout', durable: true },
  ],
  queues: [
    durableQueue(QUEUES.workflows, {
      exchange: EXCHANGES.management,
      routingKey: ROUTING_KEYS.workflow,
    }),
    durableQueue(QUEUES.operations, {
      exchange: EXCHANGES.management,
      routingKey: ROUTING_KEYS.operation,
    }),
    durableQueue(QUEUES.events, { exchange: EXCHANGES.events, routingKey: 'events.#' }),
    durableQueue(QUEUES.logs, { exchange: EXCHANGES.logs, routingKey: '' }),
    durableQueue(QUEUES.policies, { exchange: EXCHANGES.monitoring, routingKey: '#' }),
    durableQueue(QUEUES.metricsStore, { exchange: EXCHANGES.monitoring, routingKey: '#' }),
    // The dead-letter queue itself has no dead-letter route: nothing is rejected twice.
    {
      name: QUEUES.deadLetter,
      durable: true,
      bindings: [{ exchange: EXCHANGES.deadLetter, routingKey: '' }],
    },
  ],
};

/** A host agent's own direct exchange with its operation and service queues. */
export function agentTopology(agentName: string): Topology {
  return {
    exchanges: [{ name: agentName, type: 'direct', durable: true }],
    queues: [
      durableQueue(`${agentName}_operation`, {
        exchange: agentName,
        routingKey: ROUTING_KEYS.operation,
      }),
      durableQueue(`${agentName}_service`, {
        exchange: agentName,
        routingKey: ROUTING_KEYS.service,
      }),
    ],
  };
}

/** A per-process queue of replies (operation results), matched to requests by correlation id. */
export function replyQueue(processId: string): QueueSpec {
  return {
    name: `nestify.replies.${processId}`,
    durable: false,
    exclusive: true,
    autoDelete: true,
    bindings: [],
  };
}

/** A rest-service's own queue of heartbeats from every app. */
export function heartbeatQueue(processId: string): QueueSpec {
  return {
    name: `nestify.heartbeat.${processId}`,
    durable: false,
    exclusive: true,
    autoDelete: true,
    bindings: [{ exchange: EXCHANGES.heartbeat, routingKey: '' }],
  };
}

/** `events.<tenant>.<deployment id or "-">.<execution id>` — dots inside ids would add words. */
export function eventRoutingKey(tenant: string, deploymentId: string | null, executionId: string) {
  return ['events', tenant, deploymentId ?? '-', executionId].map(escapeWord).join('.');
}

/** `<deployment id>.<node name>.<node instance id>.<metric name>`; the metric name keeps its dots. */
export function metricRoutingKey(
  deploymentId: string,
  nodeName: string,
  nodeInstanceId: string,
  metric: string,
): string {
  return [deploymentId, nodeName, nodeInstanceId].map(escapeWord).join('.') + `.${metric}`;
}

function escapeWord(word: string): string {
  return word.replace(/\./g, '_');
}

/** Merges topologies, keeping the first declaration of each name. */
export function mergeTopologies(...parts: Topology[]): Topology {
  const exchanges = new Map<string, ExchangeSpec>();
  const queues = new Map<string, QueueSpec>();
  for (const part of parts) {
    for (const exchange of part.exchanges)
      if (!exchanges.has(exchange.name)) exchanges.set(exchange.name, exchange);
    for (const queue of part.queues) if (!queues.has(queue.name)) queues.set(queue.name, queue);
  }
  return { exchanges: [...exchanges.values()], queues: [...queues.values()] };
}
