import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { Deployment, Execution, InterDeploymentDependency } from '@nestify/model';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';
import { basic, createTenant, createUser } from '../support/rest-users';

const ADMIN_PASSWORD = 'admin-secret';

/**
 * Inter-deployment dependencies over real HTTP on real PostgreSQL: the single and batch
 * endpoints, replacing a source's dependencies, cycles refused, deletion of a dependency, and
 * DELETE /deployments/{id} refused while others depend on it unless forced.
 */
describe('inter-deployment dependencies API', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let f: Fixtures;
  const cleanups: Array<() => Promise<void>> = [];
  const admin = basic('admin', ADMIN_PASSWORD);
  const vic = basic('vic', 'vic-pw'); // viewer in default_tenant
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(app.getHttpServer());
  const as = (auth: string, tenant = 'default_tenant') => {
    const call = (method: 'get' | 'put' | 'post' | 'delete', path: string, body?: object) =>
      http()
        [method](`/api/v3.1${path}`)
        .set('Authorization', auth)
        .set('Tenant', tenant)
        .send(body);
    return {
      get: (path: string) => call('get', path),
      put: (path: string, body: object) => call('put', path, body),
      post: (path: string, body: object) => call('post', path, body),
      delete: (path: string, body?: object) => call('delete', path, body),
    };
  };
  const api = as(admin);
  const IDD = '/deployments/inter-deployment-dependencies';

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const config = loadConfig({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    });
    app = await createRestService(config);
    await app.init();
    dataSource = app.get(DataSource);
    f = new Fixtures(dataSource.manager);
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'vic', 'vic-pw', { default_tenant: 'viewer' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('creates one dependency (PUT) and lists it with filters and _search', async () => {
    const [app1, db1] = [await f.deployment(), await f.deployment()];
    const created = await api
      .put(IDD, {
        dependency_creator: 'component.db',
        source_deployment: app1.id,
        target_deployment: db1.id,
      })
      .expect(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      dependency_creator: 'component.db',
      source_deployment_id: app1.id,
      target_deployment_id: db1.id,
      target_deployment_func: null,
      external_source: null,
      external_target: null,
      created_at: expect.stringMatching(/Z$/),
      visibility: 'tenant',
      tenant_name: 'default_tenant',
      created_by: 'admin',
    });
    const listed = await api.get(`${IDD}?source_deployment_id=${app1.id}`).expect(200);
    expect(listed.body.items).toEqual([created.body]);
    expect(listed.body.metadata.pagination).toEqual({ total: 1, size: 1000, offset: 0 });
    const searched = await api.get(`${IDD}?_search=${created.body.id.slice(0, 8)}`).expect(200);
    expect(searched.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    // A target named by a function may not exist yet.
    const byFunction = await api
      .put(IDD, {
        dependency_creator: 'nodes.vm.get_capability',
        source_deployment: app1.id,
        target_deployment: 'not-yet',
        target_deployment_func: { get_input: 'target' },
      })
      .expect(200);
    expect(byFunction.body.target_deployment_id).toBeNull();
    expect(byFunction.body.target_deployment_func).toEqual({ get_input: 'target' });
  });

  it('refuses unknown sources and targets (404), cycles (409) and bad bodies (400)', async () => {
    const [a, b, c] = [await f.deployment(), await f.deployment(), await f.deployment()];
    const noSource = await api
      .put(IDD, { dependency_creator: 'x', source_deployment: 'nope', target_deployment: a.id })
      .expect(404);
    expect(noSource.body).toMatchObject({
      error_code: 'not_found_error',
      message: 'Given source deployment with ID `nope` does not exist.',
    });
    const noTarget = await api
      .put(IDD, { dependency_creator: 'x', source_deployment: a.id, target_deployment: 'nope' })
      .expect(404);
    expect(noTarget.body.error_code).toBe('not_found_error');
    // a → b → c; then c → a closes a cycle, and so does a → a.
    await api
      .put(IDD, { dependency_creator: 'x', source_deployment: a.id, target_deployment: b.id })
      .expect(200);
    await api
      .put(IDD, { dependency_creator: 'x', source_deployment: b.id, target_deployment: c.id })
      .expect(200);
    const cycle = await api
      .put(IDD, { dependency_creator: 'x', source_deployment: c.id, target_deployment: a.id })
      .expect(409);
    expect(cycle.body.error_code).toBe('conflict_error');
    expect(cycle.body.message).toContain('Cyclic dependency');
    await api
      .put(IDD, { dependency_creator: 'x', source_deployment: a.id, target_deployment: a.id })
      .expect(409);
    const batchCycle = await api
      .post(IDD, {
        source_deployment_id: c.id,
        inter_deployment_dependencies: [{ dependency_creator: 'y', target_deployment: a.id }],
      })
      .expect(409);
    expect(batchCycle.body.error_code).toBe('conflict_error');
    const missing = await api.put(IDD, { source_deployment: a.id }).expect(400);
    expect(missing.body.error_code).toBe('bad_parameters_error');
  });

  it('adds a batch (POST), replaces a source’s dependencies (PUT /deployments/{id}/…) and deletes one', async () => {
    const [src, t1, t2, t3] = [
      await f.deployment(),
      await f.deployment(),
      await f.deployment(),
      await f.deployment(),
    ];
    const batch = await api
      .post(IDD, {
        source_deployment_id: src.id,
        inter_deployment_dependencies: [
          { dependency_creator: 'component.a', target_deployment: t1.id },
          { dependency_creator: 'sharedresource.b', target_deployment: t2.id },
        ],
      })
      .expect(200);
    expect(batch.body).toEqual({
      items: [{ id: expect.any(String) }, { id: expect.any(String) }],
      metadata: { pagination: { total: 2, size: 2, offset: 0 } },
    });
    const replaced = await api
      .put(`/deployments/${src.id}/inter-deployment-dependencies`, {
        inter_deployment_dependencies: [
          { dependency_creator: 'component.c', target_deployment: t3.id },
        ],
      })
      .expect(200);
    expect(replaced.body.items).toHaveLength(1);
    const now = await api.get(`${IDD}?source_deployment_id=${src.id}`).expect(200);
    expect(
      now.body.items.map((i: { target_deployment_id: string }) => i.target_deployment_id),
    ).toEqual([t3.id]);
    const unknownSource = await api
      .put('/deployments/nope/inter-deployment-dependencies', { inter_deployment_dependencies: [] })
      .expect(404);
    expect(unknownSource.body.error_code).toBe('not_found_error');

    await api
      .delete(IDD, {
        dependency_creator: 'component.c',
        source_deployment: src.id,
        target_deployment: t3.id,
      })
      .expect(204);
    expect(
      await dataSource.getRepository(InterDeploymentDependency).count({
        where: { sourceDeploymentFk: src.storageId },
      }),
    ).toBe(0);
    const gone = await api
      .delete(IDD, {
        dependency_creator: 'component.c',
        source_deployment: src.id,
        target_deployment: t3.id,
      })
      .expect(404);
    expect(gone.body.error_code).toBe('not_found_error');
  });

  it('refuses to delete a deployment others depend on (dependent_exists_error) unless forced', async () => {
    const [user, shared] = [await f.deployment(), await f.deployment()];
    await api
      .put(IDD, {
        dependency_creator: 'sharedresource.vm',
        source_deployment: user.id,
        target_deployment: shared.id,
      })
      .expect(200);
    const refused = await api.delete(`/deployments/${shared.id}`).expect(400);
    expect(refused.body).toEqual({
      error_code: 'dependent_exists_error',
      message:
        `Can't delete deployment ${shared.id} - the following existing installations depend on it:\n` +
        `[1] Deployment \`${user.id}\` uses a shared resource from the current deployment in its node \`vm\``,
      server_traceback: null,
    });
    // While the source is being uninstalled its hold is released.
    const uninstall = await f.execution(
      await dataSource.getRepository(Deployment).findOneByOrFail({ storageId: user.storageId }),
    );
    await dataSource
      .getRepository(Execution)
      .update(
        { storageId: uninstall.storageId },
        { workflowId: 'uninstall', status: 'started' as never },
      );
    const depending = await f.deployment();
    await api
      .put(IDD, {
        dependency_creator: 'component.x',
        source_deployment: depending.id,
        target_deployment: shared.id,
      })
      .expect(200);
    const stillRefused = await api.delete(`/deployments/${shared.id}`).expect(400);
    expect(stillRefused.body.message).toContain(`Deployment \`${depending.id}\` contains`);
    expect(stillRefused.body.message).not.toContain(user.id);
    await api.delete(`/deployments/${shared.id}?force=true`).expect(204);
    await api.get(`/deployments/${shared.id}`).expect(404);
    // The dependency stays with its source, its target gone.
    const left = await api.get(`${IDD}?source_deployment_id=${user.id}`).expect(200);
    expect(left.body.items[0].target_deployment_id).toBeNull();
  });

  it('keeps tenants apart and lets a viewer list but not create', async () => {
    const [a, b] = [await f.deployment(), await f.deployment()];
    await api
      .put(IDD, { dependency_creator: 'x', source_deployment: a.id, target_deployment: b.id })
      .expect(200);
    const bobs = await as(bob, 'tenant_b').get(IDD).expect(200);
    expect(bobs.body.items).toEqual([]);
    await as(bob, 'tenant_b')
      .put(IDD, { dependency_creator: 'x', source_deployment: a.id, target_deployment: b.id })
      .expect(404);
    const listed = await as(vic).get(IDD).expect(200);
    expect(listed.body.metadata.pagination.total).toBeGreaterThan(0);
    const refused = await as(vic)
      .put(IDD, { dependency_creator: 'x', source_deployment: a.id, target_deployment: b.id })
      .expect(403);
    expect(refused.body.error_code).toBe('forbidden_error');
  });
});
