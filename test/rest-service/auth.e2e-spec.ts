import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Visibility } from '@nestify/common';
import { DEFAULT_TENANT_ID, Execution, ExecutionStatus, User } from '@nestify/model';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';
import { basic, createTenant, createUser } from '../support/rest-users';
import { AuthProbeModule } from './auth-probe';

const LOCK_AFTER = 3;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The global auth guard over real HTTP on real PostgreSQL and RabbitMQ (rest-api.md §1.2). */
describe('rest-service authentication and authorization', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw'); // viewer in default_tenant
  const bob = basic('bob', 'bob-pw'); // manager of other_tenant through a group
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp({
      env: { FAILED_LOGINS_BEFORE_LOCK: String(LOCK_AFTER) },
      imports: [AuthProbeModule],
    });
    dataSource = rest.dataSource;
    const other = await createTenant(dataSource, 'other_tenant');
    await createUser(dataSource, 'alice', 'alice-pw', { default_tenant: 'viewer' });
    const bobUser = await createUser(dataSource, 'bob', 'bob-pw', {});
    await createUser(dataSource, 'locky', 'locky-pw', { default_tenant: 'user' });
    await createUser(dataSource, 'mallory', 'mallory-pw', { default_tenant: 'user' });
    await createUser(dataSource, 'sleepy', 'sleepy-pw', { default_tenant: 'user' });
    await dataSource.query(`UPDATE users SET active = false WHERE username = 'sleepy'`);
    const [group] = await dataSource.query(
      `INSERT INTO groups (name) VALUES ('ops-team') RETURNING id`,
    );
    await dataSource.query(`INSERT INTO users_groups (group_id, user_id) VALUES ($1, $2)`, [
      group.id,
      bobUser.id,
    ]);
    await dataSource.query(
      `INSERT INTO groups_tenants (group_id, tenant_id, role_id)
       SELECT $1, $2, id FROM roles WHERE name = 'manager'`,
      [group.id, other.id],
    );
  });

  afterAll(async () => {
    await rest?.close();
  });

  const userRow = (username: string) =>
    dataSource.getRepository(User).findOneByOrFail({ username });

  describe('public and protected routes', () => {
    it('answers a request without credentials with 401 and Cloudify’s exact body', async () => {
      const response = await http().get('/api/v3.1/status').expect(401);
      expect(response.body).toEqual({
        message: 'User unauthorized: No authentication info provided',
        error_code: 'unauthorized_error',
        server_traceback: null,
      });
      expect(response.headers['x-cloudify-audit-username']).toBeUndefined();
    });

    it('serves /ok, /version and the unversioned /api/version without credentials', async () => {
      await http().get('/api/v3.1/ok').expect(200);
      await http().get('/api/v3.1/version').expect(200);
      await http().get('/api/version').expect(200);
    });

    it('ignores Basic credentials whose username does not start with a letter', async () => {
      const response = await http()
        .get('/api/v3.1/status')
        .set('Authorization', basic('1admin', TEST_ADMIN_PASSWORD))
        .expect(401);
      expect(response.body.message).toBe('User unauthorized: No authentication info provided');
    });

    it('treats an unknown username as no credentials', async () => {
      const response = await http()
        .get('/api/v3.1/status')
        .set('Authorization', basic('nobody', 'x'))
        .expect(401);
      expect(response.body.message).toBe('User unauthorized: No authentication info provided');
    });
  });

  describe('Basic authentication', () => {
    it('accepts the right password, stamps the login and adds the audit headers', async () => {
      const response = await http()
        .get('/api/v3.1/status')
        .set('Authorization', alice)
        .set('Tenant', 'default_tenant')
        .expect(200);
      expect(response.headers['x-cloudify-audit-auth-method']).toBe('http_basic');
      expect(response.headers['x-cloudify-audit-username']).toBe('alice');
      expect(response.headers['x-cloudify-audit-tenant']).toBe('default_tenant');
      const row = await userRow('alice');
      expect(row.lastLoginAt).toBeInstanceOf(Date);
      expect(row.firstLoginAt).toBeInstanceOf(Date);
      expect(row.failedLoginsCounter).toBe(0);
    });

    it('refuses a wrong password and counts the failure in the database', async () => {
      const response = await http()
        .get('/api/v3.1/status')
        .set('Authorization', basic('mallory', 'wrong'))
        .expect(401);
      expect(response.body).toEqual({
        message:
          'User unauthorized: Authentication failed for <User username=`mallory`>. ' +
          'Wrong credentials or locked account',
        error_code: 'unauthorized_error',
        server_traceback: null,
      });
      let row = await userRow('mallory');
      expect(row.failedLoginsCounter).toBe(1);
      expect(row.lastFailedLoginAt).toBeInstanceOf(Date);

      // A success before the limit resets the count.
      await http().get('/api/v3.1/status').set('Authorization', basic('mallory', 'mallory-pw'));
      row = await userRow('mallory');
      expect(row.failedLoginsCounter).toBe(0);
    });

    it(`locks a user after ${LOCK_AFTER} consecutive failures, even for the right password`, async () => {
      for (let i = 1; i <= LOCK_AFTER; i++) {
        await http()
          .get('/api/v3.1/status')
          .set('Authorization', basic('locky', `wrong-${i}`))
          .expect(401);
      }
      const response = await http()
        .get('/api/v3.1/status')
        .set('Authorization', basic('locky', 'locky-pw'))
        .expect(401);
      expect(response.body.message).toMatch(/locked account$/);
      const row = await userRow('locky');
      expect(row.failedLoginsCounter).toBe(LOCK_AFTER);
      expect(row.lastFailedLoginAt).toBeInstanceOf(Date);
      expect(row.lastLoginAt).toBeNull();
    });

    it('refuses an inactive user even with the right password', async () => {
      const response = await http()
        .get('/api/v3.1/status')
        .set('Authorization', basic('sleepy', 'sleepy-pw'))
        .expect(401);
      expect(response.body.error_code).toBe('unauthorized_error');
      expect((await userRow('sleepy')).lastLoginAt).toBeNull();
    });
  });

  describe('GET /user', () => {
    it('returns the caller in Cloudify’s User shape', async () => {
      const response = await http().get('/api/v3.1/user').set('Authorization', alice).expect(200);
      expect(response.body).toEqual({
        username: 'alice',
        role: 'default',
        group_system_roles: {},
        tenants: 1,
        tenant_roles: null,
        groups: 0,
        active: true,
        created_at: expect.stringMatching(TIMESTAMP),
        first_login_at: expect.stringMatching(TIMESTAMP),
        last_login_at: expect.stringMatching(TIMESTAMP),
        is_locked: false,
        show_getting_started: true,
      });
    });

    it('expands tenants, groups and tenant roles with _get_data', async () => {
      const response = await http()
        .get('/api/v3.1/user?_get_data=true')
        .set('Authorization', bob)
        .expect(200);
      expect(response.body).toMatchObject({
        username: 'bob',
        tenants: { other_tenant: { 'tenant-role': null, roles: ['manager'] } },
        groups: ['ops-team'],
        tenant_roles: { direct: {}, groups: { other_tenant: { manager: ['ops-team'] } } },
      });
      const adminView = await http()
        .get('/api/v3.1/user?_get_data=true')
        .set('Authorization', admin)
        .expect(200);
      expect(adminView.body).toMatchObject({
        username: 'admin',
        role: 'sys_admin',
        tenants: { default_tenant: { 'tenant-role': 'user', roles: ['user'] } },
      });
    });
  });

  describe('tenants and permissions', () => {
    const probe = (auth: string, tenant?: string) => {
      const req = http().get('/api/v3.1/auth-probe').set('Authorization', auth);
      return tenant ? req.set('Tenant', tenant) : req;
    };

    it('requires the Tenant header on a tenant-scoped route', async () => {
      const response = await probe(admin).expect(403);
      expect(response.body).toEqual({
        message: 'Authorization failed: tenant not provided',
        error_code: 'forbidden_error',
        server_traceback: null,
      });
    });

    it('refuses an unknown tenant, on any route', async () => {
      const expected = {
        message: 'Authorization failed: Tried to authenticate with invalid tenant name: nope',
        error_code: 'forbidden_error',
        server_traceback: null,
      };
      expect((await probe(admin, 'nope').expect(403)).body).toEqual(expected);
      const status = await http()
        .get('/api/v3.1/status')
        .set('Authorization', admin)
        .set('Tenant', 'nope')
        .expect(403);
      expect(status.body).toEqual(expected);
    });

    it('fills the auth context with the tenant role of a member', async () => {
      const response = await probe(alice, 'default_tenant').expect(200);
      expect(response.body).toMatchObject({
        method: 'basic',
        user: { username: 'alice', systemRole: 'default' },
        tenant: { id: DEFAULT_TENANT_ID, name: 'default_tenant', role: 'viewer' },
      });
      expect(response.headers['x-cloudify-audit-tenant']).toBe('default_tenant');
    });

    it('refuses an action the role does not allow, naming user, action and tenant', async () => {
      const response = await http()
        .post('/api/v3.1/auth-probe')
        .set('Authorization', alice)
        .set('Tenant', 'default_tenant')
        .expect(403);
      expect(response.body).toEqual({
        message:
          'User `alice` is not permitted to perform the action site_create in the tenant `default_tenant`',
        error_code: 'forbidden_error',
        server_traceback: null,
      });
    });

    it('refuses a tenant the user is not in', async () => {
      const response = await probe(alice, 'other_tenant').expect(403);
      expect(response.body.message).toBe(
        'User `alice` is not permitted to perform the action site_list in the tenant `other_tenant`',
      );
    });

    it('takes tenant roles granted through a group', async () => {
      const response = await http()
        .post('/api/v3.1/auth-probe')
        .set('Authorization', bob)
        .set('Tenant', 'other_tenant')
        .expect(200);
      expect(response.body.tenant).toMatchObject({ name: 'other_tenant', role: 'manager' });
    });

    it('lets sys_admin into any tenant', async () => {
      const response = await http()
        .post('/api/v3.1/auth-probe')
        .set('Authorization', admin)
        .set('Tenant', 'other_tenant')
        .expect(200);
      expect(response.body).toMatchObject({
        user: { id: 0, username: 'admin', systemRole: 'sys_admin' },
        tenant: { name: 'other_tenant', role: 'sys_admin' },
      });
    });
  });

  describe('execution tokens', () => {
    async function executionWithToken(status: ExecutionStatus): Promise<string> {
      const token = randomUUID().replace(/-/g, '');
      const creator = await userRow('alice');
      const executions = dataSource.getRepository(Execution);
      await executions.save(
        executions.create({
          id: randomUUID(),
          workflowId: 'install',
          status,
          parameters: {},
          deploymentFk: null,
          blueprintId: null,
          token: createHash('sha256').update(token).digest('hex'),
          tenantId: DEFAULT_TENANT_ID,
          creatorId: creator.id,
          visibility: Visibility.Tenant,
        }),
      );
      return token;
    }

    it('authenticates the creator of an active execution, in its tenant', async () => {
      const token = await executionWithToken(ExecutionStatus.Started);
      const response = await http()
        .get('/api/v3.1/auth-probe')
        .set('Execution-Token', token)
        .expect(200);
      expect(response.body).toMatchObject({
        method: 'execution_token',
        user: { username: 'alice' },
        tenant: { name: 'default_tenant', role: 'viewer' },
        executionId: expect.any(String),
      });
      expect(response.headers['x-cloudify-audit-auth-method']).toBe('execution_token');
      expect(response.headers['x-cloudify-audit-username']).toBe('alice');
      // The same token is accepted as an Authentication-Token.
      await http().get('/api/v3.1/status').set('Authentication-Token', token).expect(200);
    });

    it('refuses the token of a finished execution, and an unknown one', async () => {
      const expected = {
        message: 'User unauthorized: Authentication failed, invalid Execution Token',
        error_code: 'unauthorized_error',
        server_traceback: null,
      };
      const token = await executionWithToken(ExecutionStatus.Terminated);
      const finished = await http().get('/api/v3.1/status').set('Execution-Token', token);
      expect(finished.status).toBe(401);
      expect(finished.body).toEqual(expected);
      const unknown = await http().get('/api/v3.1/status').set('Execution-Token', 'deadbeef');
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(expected);
    });
  });
});
