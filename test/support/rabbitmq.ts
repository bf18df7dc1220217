import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The real RabbitMQ the e2e suites use; each suite gets its own vhost on it. */
export const TEST_AMQP_BASE_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const TEST_AMQP_USER = decodeURIComponent(new URL(TEST_AMQP_BASE_URL).username || 'guest');

function rabbitmqctl(...args: string[]): Promise<{ stdout: string }> {
  return run('rabbitmqctl', ['-q', ...args], { timeout: 30000 });
}

export interface TestVhost {
  name: string;
  /** `amqp://…/<vhost>` for the new vhost. */
  url: string;
  /** Closes every client connection to this vhost (the broker-side fault of the messaging tests). */
  closeConnections(reason?: string): Promise<void>;
  /** Messages ready in a queue of this vhost, as the broker counts them. */
  queueDepth(queue: string): Promise<number>;
  drop(): Promise<void>;
}

/** Creates a fresh vhost, so suites running in parallel never share queues. */
export async function createTestVhost(): Promise<TestVhost> {
  const name = `nestify_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, TEST_AMQP_USER, '.*', '.*', '.*');
  const url = new URL(TEST_AMQP_BASE_URL);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    async closeConnections(reason = 'closed by the test') {
      await rabbitmqctl('close_all_connections', '--vhost', name, reason);
    },
    async queueDepth(queue) {
      const { stdout } = await rabbitmqctl(
        'list_queues',
        '-p',
        name,
        '--no-table-headers',
        'name',
        'messages_ready',
      );
      for (const line of stdout.trim().split('\n')) {
        const [queueName, count] = line.trim().split(/\s+/);
        if (queueName === queue) return Number(count);
      }
      throw new Error(`no queue ${queue} in vhost ${name}`);
    },
    drop: async () => {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}

let reachable: boolean | undefined;

/** Whether rabbitmqctl can talk to the local broker, decided while Jest collects suites. */
export function isRabbitReachable(): boolean {
  if (reachable === undefined) {
    try {
      execFileSync('rabbitmqctl', ['-q', 'status'], { stdio: 'ignore', timeout: 20000 });
      reachable = true;
    } catch {
      reachable = false;
    }
  }
  return reachable;
}

/**
 * Call at the top of a suite that needs the real RabbitMQ. In CI (`CI=true`) an unreachable broker
 * throws, failing the suite; elsewhere it warns and returns false so the suite can skip itself.
 */
export function requireRealRabbit(): boolean {
  if (isRabbitReachable()) return true;
  const message = 'RabbitMQ is not reachable (rabbitmqctl status failed)';
  if (process.env.CI === 'true') throw new Error(`${message} (required in CI)`);
  console.warn(`${message}: skipping the suites that need it.`);
  return false;
}
