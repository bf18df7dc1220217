import { createTestDatabase, TestDatabase } from '../../support/database';
import {
  builtMain,
  cleanEnvironment,
  freePort,
  getJson,
  RunningProcess,
  startNode,
  waitFor,
} from '../../support/processes';
import { createTestVhost, TestVhost } from '../../support/rabbitmq';
import { basic } from '../../support/rest-users';

const PASSWORD = 'pa55-never-in-logs';
const SECRET_VALUE = 'secret-value-never-in-logs';
const EXECUTION_TOKEN = 'e'.repeat(32);
const BOGUS_API_TOKEN = 'ctok-1-bogus-token-never-in-logs';

/**
 * The built REST service, logging JSON at debug level as a real process, gets every kind of
 * credential and a secret value: its output must name the requests (so the check is not vacuous)
 * yet contain none of them.
 */
describe('secrets never reach the logs', () => {
  let rest: RunningProcess | undefined;
  let database: TestDatabase | undefined;
  let vhost: TestVhost | undefined;

  afterAll(async () => {
    await rest?.stop();
    await database?.drop();
    await vhost?.drop();
  });

  it('redacts credential headers and never logs bodies', async () => {
    database = await createTestDatabase();
    vhost = await createTestVhost();
    const port = await freePort();
    rest = startNode(
      builtMain('rest-service'),
      cleanEnvironment({
        DATABASE_URL: database.url,
        AMQP_URL: vhost.url,
        PORT: String(port),
        ADMIN_PASSWORD: PASSWORD,
        LOG_LEVEL: 'debug',
      }),
    );
    const base = `http://127.0.0.1:${port}/api/v3.1`;
    const admin = { Authorization: basic('admin', PASSWORD), Tenant: 'default_tenant' };
    await waitFor('the REST service', () => getJson(`${base}/ok`), 60000);

    const put = await fetch(`${base}/secrets/db-password`, {
      method: 'PUT',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: SECRET_VALUE }),
    });
    expect(put.status).toBeLessThan(300);
    const token = (await (
      await fetch(`${base}/tokens`, {
        method: 'POST',
        headers: { ...admin, 'Content-Type': 'application/json' },
        body: '{}',
      })
    ).json()) as { value: string };
    expect(
      (await fetch(`${base}/user`, { headers: { 'Authentication-Token': token.value } })).status,
    ).toBe(200);
    await fetch(`${base}/user`, { headers: { 'Authentication-Token': BOGUS_API_TOKEN } });
    await fetch(`${base}/user`, { headers: { 'Execution-Token': EXECUTION_TOKEN } });
    await fetch(`${base}/user`, {
      headers: { Authorization: basic('admin', `${PASSWORD}-wrong`) },
    });
    // A rejected body that carries the secret: the error must not echo it into a log line.
    await fetch(`${base}/secrets/other`, {
      method: 'PUT',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: SECRET_VALUE, visibility: SECRET_VALUE }),
    });
    await rest.stop();

    const output = rest.output();
    // The request lines are there, with the credential headers redacted.
    expect(output).toContain('/api/v3.1/secrets/db-password');
    expect(output).toContain('"authorization":"[Redacted]"');
    expect(output).toContain('"authentication-token":"[Redacted]"');
    expect(output).toContain('"execution-token":"[Redacted]"');
    for (const secret of [
      PASSWORD,
      Buffer.from(`admin:${PASSWORD}`).toString('base64'),
      SECRET_VALUE,
      token.value,
      BOGUS_API_TOKEN,
      EXECUTION_TOKEN,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
