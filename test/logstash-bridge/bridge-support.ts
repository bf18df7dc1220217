import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Server, Socket, connect } from 'node:net';
import { Client } from 'pg';
import {
  DEAD_LETTER_HEADERS,
  EXCHANGES,
  eventRoutingKey,
  MessageBus,
  QUEUES,
} from '@nestify/messaging';
import { cleanEnvironment, REPO_ROOT } from '../support/processes';

/** What tests need to know of an execution to address its events. */
export interface Target {
  executionId: string;
  tenantName: string;
  deploymentId: string | null;
}

const BASE_TIME = Date.UTC(2026, 0, 1);

/** An event (`n` even) or a log (`n` odd) of the §3.4 shape; `n` orders the timestamps. */
export function itemFor(target: Target, n: number, extra: Record<string, unknown> = {}) {
  const common = {
    message_id: randomUUID(),
    timestamp: new Date(BASE_TIME + n).toISOString(),
    context: {
      execution_id: target.executionId,
      tenant_name: target.tenantName,
      deployment_id: target.deploymentId,
      workflow_id: 'install',
      node_id: n % 3 === 0 ? 'vm_abc123' : null,
      operation: 'cloudify.interfaces.lifecycle.create',
    },
  };
  const item =
    n % 2 === 0
      ? {
          ...common,
          type: 'cloudify_event',
          event_type: n % 10 === 0 ? 'task_failed' : 'task_succeeded',
          message: { text: `event ${n}`, arguments: null },
          error_causes: n % 10 === 0 ? [{ message: 'boom', type: 'E', traceback: 't' }] : null,
        }
      : {
          ...common,
          type: 'cloudify_log',
          logger: 'ctx.task',
          level: n % 5 === 0 ? 'error' : 'info',
          message: { text: `log ${n}` },
        };
  return { ...item, ...extra };
}

type Item = ReturnType<typeof itemFor>;

/** Publishes a body (one item or a list) where its producer would: events topic or logs fanout. */
export function publishItems(bus: MessageBus, target: Target, body: Item | Item[] | Buffer) {
  const first = Array.isArray(body) ? body[0] : body;
  const isLog = !Buffer.isBuffer(first) && first.type === 'cloudify_log';
  if (isLog) return bus.publish(EXCHANGES.logs, '', body);
  const key = eventRoutingKey(target.tenantName, target.deploymentId, target.executionId);
  return bus.publish(EXCHANGES.events, key, body);
}

/** Collects what reaches the dead-letter queue: its reason header and body. */
export async function collectDeadLetters(bus: MessageBus) {
  const letters: { reason: string; detail: string; body: string }[] = [];
  const consumer = await bus.consume(
    QUEUES.deadLetter,
    async (message) => {
      letters.push({
        reason: String(message.headers[DEAD_LETTER_HEADERS.reason]),
        detail: String(message.headers[DEAD_LETTER_HEADERS.detail]),
        body: message.body as string,
      });
    },
    { raw: true, maxBytes: 64 * 1024 * 1024 },
  );
  return { letters, cancel: () => consumer.cancel() };
}

/** Rows and distinct message ids stored in events + logs. */
export async function storedCounts(client: Client): Promise<{ rows: number; distinct: number }> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS rows, count(DISTINCT message_id)::int AS distinct FROM
       (SELECT message_id FROM events UNION ALL SELECT message_id FROM logs) o`,
  );
  return rows[0];
}

/** Scrapes one sample of a Prometheus text page (sum over labels matching `labels`). */
export function metricValue(page: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(name)) continue;
    const [series, value] = line.split(' ');
    if (series === name || (series.startsWith(`${name}{`) && series.includes(labels)))
      sum += Number(value);
  }
  return sum;
}

/**
 * A TCP proxy in front of PostgreSQL: `cut()` drops every connection and refuses new ones (the
 * database "goes down" for the bridge only, not for anyone else using the shared server).
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** The bridge as its own process (run from the TypeScript sources), so a test can kill -9 it. */
export function startBridgeProcess(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
} {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/logstash-bridge/src/main.ts',
    ],
    { cwd: REPO_ROOT, env: cleanEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: once(child, 'exit') };
}
