import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SecretCipher } from '../../apps/rest-service/src/secrets/secret-cipher';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createTestVhost, TestVhost } from '../support/rabbitmq';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';
import { basic } from '../support/rest-users';

/** Without SECRETS_KEY the service generates a key file once and keeps using it. */
describe('secrets key file', () => {
  let database: TestDatabase;
  let vhost: TestVhost;
  let dataDir: string;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);

  beforeAll(async () => {
    database = await createTestDatabase();
    vhost = await createTestVhost();
    dataDir = mkdtempSync(join(tmpdir(), 'nestify-secrets-'));
  });

  afterAll(async () => {
    await vhost?.drop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Two boots share the database and vhost, dropped once at the end. */
  const boot = (): Promise<RestTestApp> =>
    startRestTestApp({ database, vhost, env: { NESTIFY_DATA_DIR: dataDir } });

  it('creates a 0600 key file on first start and reads it again on the next', async () => {
    const keyFile = join(dataDir, 'secrets.key');
    const first = await boot();
    let key: Buffer;
    try {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
      expect(key).toHaveLength(32);
      await request(first.baseUrl)
        .put('/api/v3.1/secrets/persisted')
        .set('Authorization', admin)
        .set('Tenant', 'default_tenant')
        .send({ value: 'survives restarts' })
        .expect(200);
      const [row] = await first.dataSource.query(
        `SELECT value FROM secrets WHERE id = 'persisted'`,
      );
      expect(new SecretCipher(key).decrypt(row.value)).toBe('survives restarts');
    } finally {
      await first.close();
    }
    const second = await boot();
    try {
      expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toEqual(key);
      const read = await request(second.baseUrl)
        .get('/api/v3.1/secrets/persisted')
        .set('Authorization', admin)
        .set('Tenant', 'default_tenant')
        .expect(200);
      expect(read.body.value).toBe('survives restarts');
    } finally {
      await second.close();
    }
  });
});
