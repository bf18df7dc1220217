import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { TEST_DATABASE_ADMIN_URL } from '../support/database';
import { waitFor } from '../support/processes';

/**
 * Restarts of the machine's PostgreSQL and RabbitMQ. Each command can be replaced through the
 * environment (e.g. to aim at private servers while others use the shared ones); rabbitmqctl
 * also follows RABBITMQ_NODENAME.
 */
const POSTGRES_VERSION = '$(ls /etc/postgresql | head -n1)';
const COMMANDS = {
  postgresRestart:
    process.env.CHAOS_POSTGRES_RESTART ??
    `pg_ctlcluster --skip-systemctl-redirect ${POSTGRES_VERSION} main restart`,
  postgresStart:
    process.env.CHAOS_POSTGRES_START ??
    `pg_ctlcluster --skip-systemctl-redirect ${POSTGRES_VERSION} main start`,
  rabbitStop: process.env.CHAOS_RABBITMQ_STOP ?? 'rabbitmqctl -q stop_app',
  rabbitStart: process.env.CHAOS_RABBITMQ_START ?? 'rabbitmqctl -q start_app',
  rabbitNodeStart: process.env.CHAOS_RABBITMQ_NODE_START ?? 'rabbitmq-server -detached',
  rabbitReady: 'rabbitmqctl -q await_startup --timeout 60',
};

/**
 * Runs a shell command and waits for its exit, not for its output to close: a server it starts
 * may keep inherited pipes open for as long as it runs.
 */
function run(command: string, timeoutMs = 90000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      child.stderr.destroy();
      if (code === 0) resolve();
      else reject(new Error(`${command}: ${signal ?? `exit ${code}`} ${stderr.trim()}`));
    });
  });
}

async function postgresAnswers(): Promise<boolean> {
  const client = new Client({
    connectionString: TEST_DATABASE_ADMIN_URL,
    connectionTimeoutMillis: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function rabbitAnswers(): Promise<boolean> {
  // `status` answers while the app is stopped; list_vhosts needs the app running.
  return run('rabbitmqctl -q list_vhosts', 20000).then(
    () => true,
    () => false,
  );
}

export async function restartPostgres(): Promise<void> {
  try {
    await run(COMMANDS.postgresRestart);
  } finally {
    await ensurePostgres();
  }
}

/** stop_app and start_app: every client connection drops; durable queues and messages stay. */
export async function restartRabbit(): Promise<void> {
  try {
    await run(COMMANDS.rabbitStop);
  } finally {
    await ensureRabbit();
  }
}

/** Starts PostgreSQL if it does not answer, and waits until it does. */
export async function ensurePostgres(): Promise<void> {
  if (await postgresAnswers()) return;
  await run(COMMANDS.postgresStart).catch(() => undefined);
  await waitFor(
    'PostgreSQL',
    async () => ((await postgresAnswers()) ? true : undefined),
    60000,
    250,
  );
}

/** Starts the RabbitMQ app (or the node) if it does not answer, and waits until it does. */
export async function ensureRabbit(): Promise<void> {
  if (await rabbitAnswers()) return;
  await run(COMMANDS.rabbitStart).catch(() => run(COMMANDS.rabbitNodeStart).catch(() => undefined));
  await run(COMMANDS.rabbitReady).catch(() => undefined);
  await waitFor('RabbitMQ', async () => ((await rabbitAnswers()) ? true : undefined), 60000, 500);
}
