import request from 'supertest';
import { DataSource } from 'typeorm';
import { Blueprint, BlueprintLabel, Deployment, DeploymentLabel } from '@nestify/model';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp } from '../support/rest-app';

/**
 * /searches/{deployments,blueprints} and /filters/{deployments,blueprints} over real HTTP on real
 * PostgreSQL: label and attribute rules, saved filters applied with `_filter_id`, bad rules
 * refused with invalid_filter_rule, and tenant isolation.
 */
describe('filters and searches API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const vera = basic('vera', 'vera-pw'); // viewer in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(rest.baseUrl);

  const post = (path: string, body: object, auth = alice, tenant = 'tenant_a') =>
    http().post(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant).send(body);
  const put = (path: string, body: object, auth = alice, tenant = 'tenant_a') =>
    http().put(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant).send(body);
  const patch = (path: string, body: object, auth = alice, tenant = 'tenant_a') =>
    http().patch(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant).send(body);
  const get = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id).sort();
  const label = (key: string, values: string[], operator = 'any_of') => ({
    key,
    values,
    operator,
    type: 'label',
  });
  const attr = (key: string, values: string[], operator = 'any_of') => ({
    key,
    values,
    operator,
    type: 'attribute',
  });

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    const tenantA = await createTenant(dataSource, 'tenant_a');
    const tenantB = await createTenant(dataSource, 'tenant_b');
    const aliceUser = await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'vera', 'vera-pw', { tenant_a: 'viewer' });
    const bobUser = await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });

    const owner = (tenantId: number, creatorId: number) => ({ tenantId, creatorId });
    const a = owner(tenantA.id, aliceUser.id);
    const b = owner(tenantB.id, bobUser.id);
    const blueprints = dataSource.getRepository(Blueprint);
    const saveBlueprint = (id: string, who: typeof a, state = 'uploaded') =>
      blueprints.save(blueprints.create({ id, state, ...who }));
    const webBp = await saveBlueprint('web-bp', a);
    const dbBp = await saveBlueprint('db-bp', a, 'failed_uploading');
    const otherBp = await saveBlueprint('web-bp', b);
    await dataSource.getRepository(BlueprintLabel).insert([
      { key: 'env', value: 'prod', labeledModelFk: webBp.storageId, ...a },
      { key: 'env', value: 'dev', labeledModelFk: dbBp.storageId, ...a },
      { key: 'env', value: 'prod', labeledModelFk: otherBp.storageId, ...b },
    ]);

    const deployments = dataSource.getRepository(Deployment);
    const saveDeployment = (id: string, bp: Blueprint, who: typeof a) =>
      deployments.save(
        deployments.create({ id, displayName: `${id}-name`, blueprintFk: bp.storageId, ...who }),
      );
    const web1 = await saveDeployment('web1', webBp, a);
    const web2 = await saveDeployment('web2', webBp, a);
    const db1 = await saveDeployment('db1', dbBp, a);
    const bobs = await saveDeployment('web3', otherBp, b);
    await dataSource.getRepository(DeploymentLabel).insert([
      { key: 'env', value: 'prod', labeledModelFk: web1.storageId, ...a },
      { key: 'tier', value: 'gold', labeledModelFk: web1.storageId, ...a },
      { key: 'env', value: 'dev', labeledModelFk: web2.storageId, ...a },
      { key: 'env', value: 'prod', labeledModelFk: bobs.storageId, ...b },
    ]);
    void db1;
  });

  afterAll(async () => {
    await rest?.close();
  });

  describe('POST /searches/deployments', () => {
    it.each([
      [[label('env', ['prod'])], ['web1']],
      [[label('env', ['prod', 'dev'])], ['web1', 'web2']],
      [[label('env', ['prod'], 'not_any_of')], ['web2']],
      [[label('env', ['prod'], 'is_not')], ['db1', 'web2']],
      [[label('tier', [], 'is_null')], ['db1', 'web2']],
      [[label('TIER', [], 'is_not_null')], ['web1']],
      [[attr('blueprint_id', ['web-bp'])], ['web1', 'web2']],
      [[attr('id', ['web'], 'starts_with')], ['web1', 'web2']],
      [[attr('id', ['b1'], 'ends_with')], ['db1', 'web1']],
      [[attr('display_name', ['db'], 'contains')], ['db1']],
      [[attr('id', ['web1', 'db1'], 'not_any_of')], ['web2']],
      [[attr('site_name', [], 'is_not_empty')], []],
      [[label('env', ['prod', 'dev']), attr('id', ['web2'])], ['web2']],
    ])('rules %j match %j', async (rules, expected) => {
      const res = await post('searches/deployments', { filter_rules: rules }).expect(200);
      expect(ids(res.body)).toEqual(expected);
      expect(res.body.metadata.pagination.total).toBe(expected.length);
      expect(res.body.metadata.filtered).toBe(3 - expected.length);
    });

    it('lists everything visible without rules, with the usual list parameters', async () => {
      const res = await post('searches/deployments?_sort=-id&_size=2&_include=id', {}).expect(200);
      expect(res.body.items).toEqual([{ id: 'web2' }, { id: 'web1' }]);
      expect(res.body.metadata).toEqual({
        pagination: { total: 3, size: 2, offset: 0 },
        filtered: null,
      });
    });

    it('refuses a bad rule with 400 invalid_filter_rule', async () => {
      const res = await post('searches/deployments', {
        filter_rules: [attr('state', ['x'])],
      }).expect(400);
      expect(res.body.error_code).toBe('invalid_filter_rule');
      expect(res.body.message).toBe(
        "The filter rule {'key': 'state', 'values': ['x'], 'operator': 'any_of', 'type': " +
          "'attribute'} is not in the right format. Allowed attributes to filter deployments by " +
          'are id, blueprint_id, created_by, site_name, schedules, tenant_name, display_name, ' +
          'installation_status',
      );
      // The rule and the reason also come apart, as Cloudify's body has them.
      expect(res.body.err_filter_rule).toEqual(attr('state', ['x']));
      expect(res.body.err_reason).toBe(
        'Allowed attributes to filter deployments by are id, blueprint_id, created_by, ' +
          'site_name, schedules, tenant_name, display_name, installation_status',
      );
      const missing = await post('searches/deployments', {
        filter_rules: [{ key: 'env', values: ['a'] }],
      }).expect(400);
      expect(missing.body).toMatchObject({
        error_code: 'invalid_filter_rule',
        err_filter_rule: { key: 'env', values: ['a'] },
        err_reason: expect.any(String),
        server_traceback: null,
      });
    });

    it("shows only the caller's tenant", async () => {
      const res = await post(
        'searches/deployments',
        { filter_rules: [label('env', ['prod'])] },
        bob,
        'tenant_b',
      ).expect(200);
      expect(ids(res.body)).toEqual(['web3']);
    });
  });

  describe('POST /searches/blueprints', () => {
    it('filters by labels and attributes', async () => {
      const byLabel = await post('searches/blueprints', {
        filter_rules: [label('env', ['dev'])],
      }).expect(200);
      expect(ids(byLabel.body)).toEqual(['db-bp']);
      const byState = await post('searches/blueprints', {
        filter_rules: [attr('state', ['uploaded'])],
      }).expect(200);
      expect(ids(byState.body)).toEqual(['web-bp']);
      expect(byState.body.metadata.filtered).toBe(1);
      const bad = await post('searches/blueprints', {
        filter_rules: [attr('blueprint_id', ['x'])],
      }).expect(400);
      expect(bad.body.error_code).toBe('invalid_filter_rule');
    });
  });

  describe('/filters', () => {
    it('stores, reads, lists, updates and deletes a deployments filter', async () => {
      const created = await put('filters/deployments/prod-web', {
        filter_rules: [label('Env', ['prod']), attr('id', ['web'], 'starts_with')],
      }).expect(200);
      expect(created.body).toMatchObject({
        id: 'prod-web',
        value: [
          { key: 'env', values: ['prod'], operator: 'any_of', type: 'label' },
          { key: 'id', values: ['web'], operator: 'starts_with', type: 'attribute' },
        ],
        labels_filter_rules: [{ key: 'env', values: ['prod'], operator: 'any_of', type: 'label' }],
        attrs_filter_rules: [
          { key: 'id', values: ['web'], operator: 'starts_with', type: 'attribute' },
        ],
        is_system_filter: false,
        visibility: 'tenant',
        tenant_name: 'tenant_a',
        created_by: 'alice',
      });
      await put('filters/deployments/prod-web', { filter_rules: [] }).expect(409);
      expect((await get('filters/deployments/prod-web', vera).expect(200)).body.id).toBe(
        'prod-web',
      );

      const searched = await post('searches/deployments?_filter_id=prod-web', {}).expect(200);
      expect(ids(searched.body)).toEqual(['web1']);
      // The plain list takes a saved filter too.
      const listed = await get('deployments?_filter_id=prod-web').expect(200);
      expect(ids(listed.body)).toEqual(['web1']);
      expect(listed.body.metadata.filtered).toBeGreaterThan(0);
      const combined = await post('searches/deployments?_filter_id=prod-web', {
        filter_rules: [label('tier', [], 'is_null')],
      }).expect(200);
      expect(ids(combined.body)).toEqual([]);

      // New label rules replace the stored label rules only.
      const updated = await patch('filters/deployments/prod-web', {
        filter_rules: [label('env', ['dev'])],
        visibility: 'global',
      }).expect(200);
      expect(updated.body.value).toEqual([
        { key: 'id', values: ['web'], operator: 'starts_with', type: 'attribute' },
        { key: 'env', values: ['dev'], operator: 'any_of', type: 'label' },
      ]);
      expect(updated.body.visibility).toBe('global');
      const after = await post('searches/deployments?_filter_id=prod-web', {}).expect(200);
      expect(ids(after.body)).toEqual(['web2']);
      expect((await patch('filters/deployments/prod-web', {}).expect(400)).body.error_code).toBe(
        'illegal_action_error',
      );

      const list = await get('filters/deployments').expect(200);
      expect(ids(list.body)).toEqual(['prod-web']);
      expect((await get('filters/blueprints').expect(200)).body.items).toEqual([]);

      await http()
        .delete('/api/v3.1/filters/deployments/prod-web')
        .set('Authorization', alice)
        .set('Tenant', 'tenant_a')
        .expect(204);
      await get('filters/deployments/prod-web').expect(404);
      await post('searches/deployments?_filter_id=prod-web', {}).expect(404);
      await get('deployments?_filter_id=prod-web').expect(404);
    });

    it('refuses bad rules, reserved ids and viewers', async () => {
      const bad = await put('filters/blueprints/f1', {
        filter_rules: [label('env', [], 'any_of')],
      }).expect(400);
      expect(bad.body.error_code).toBe('invalid_filter_rule');
      const reserved = await put('filters/blueprints/csys-mine', { filter_rules: [] }).expect(400);
      expect(reserved.body.error_code).toBe('bad_parameters_error');
      await put('filters/blueprints/f2', { filter_rules: [] }, vera).expect(403);
    });

    it("keeps tenants' filters apart", async () => {
      await put('filters/blueprints/dev-only', { filter_rules: [label('env', ['dev'])] }).expect(
        200,
      );
      const mine = await post('searches/blueprints?_filter_id=dev-only', {}).expect(200);
      expect(ids(mine.body)).toEqual(['db-bp']);
      expect(ids((await get('blueprints?_filter_id=dev-only').expect(200)).body)).toEqual([
        'db-bp',
      ]);
      await get('blueprints?_filter_id=dev-only', bob, 'tenant_b').expect(404);
      await get('filters/blueprints/dev-only', bob, 'tenant_b').expect(404);
      expect((await get('filters/blueprints', bob, 'tenant_b').expect(200)).body.items).toEqual([]);
      await post('searches/blueprints?_filter_id=dev-only', {}, bob, 'tenant_b').expect(404);
    });
  });
});
