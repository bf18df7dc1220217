import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { Blueprint, Deployment, DeploymentLabel } from '@nestify/model';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { buildTarGz } from '../support/archives';
import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';
import { basic, createTenant, createUser } from '../support/rest-users';

const ADMIN_PASSWORD = 'admin-secret';
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A blueprint to create group deployments from: an input with a default, one node. */
const TEMPLATE = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
inputs:
  size:
    type: string
    default: small
  tier:
    type: string
node_templates:
  vm:
    type: cloudify.nodes.Root
`;

/**
 * /deployment-groups over real HTTP on real PostgreSQL: create and update with labels, default
 * blueprint and inputs, members from ids, filter rules, saved filters and other groups, PATCH
 * add/remove, deletion, `_group_id` on the deployments list, and tenant isolation.
 */
describe('deployment groups API', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let work: string;
  const cleanups: Array<() => Promise<void>> = [];
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const vera = basic('vera', 'vera-pw'); // viewer in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(app.getHttpServer());
  const send = (
    method: 'put' | 'patch' | 'post',
    path: string,
    body: object,
    auth = alice,
    tenant = 'tenant_a',
  ) =>
    http()[method](`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant).send(body);
  const get = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const del = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().delete(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    work = mkdtempSync(join(tmpdir(), 'nestify-deployment-groups-'));
    cleanups.push(async () => rmSync(work, { recursive: true, force: true }));
    const config = loadConfig({
      RESOURCES_DIR: join(work, 'resources'),
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    });
    app = await createRestService(config);
    await app.init();
    dataSource = app.get(DataSource);
    const tenantA = await createTenant(dataSource, 'tenant_a');
    const tenantB = await createTenant(dataSource, 'tenant_b');
    const aliceUser = await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'vera', 'vera-pw', { tenant_a: 'viewer' });
    const bobUser = await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    const a = { tenantId: tenantA.id, creatorId: aliceUser.id };
    const b = { tenantId: tenantB.id, creatorId: bobUser.id };
    const blueprints = dataSource.getRepository(Blueprint);
    const bpA = await blueprints.save(blueprints.create({ id: 'bp', state: 'uploaded', ...a }));
    const bpB = await blueprints.save(blueprints.create({ id: 'bp', state: 'uploaded', ...b }));
    const deployments = dataSource.getRepository(Deployment);
    const save = (id: string, bp: Blueprint, who: typeof a) =>
      deployments.save(
        deployments.create({ id, displayName: id, blueprintFk: bp.storageId, ...who }),
      );
    const d1 = await save('d1', bpA, a);
    await save('d2', bpA, a);
    await save('d3', bpA, a);
    await save('b1', bpB, b);
    await dataSource
      .getRepository(DeploymentLabel)
      .insert([{ key: 'env', value: 'prod', labeledModelFk: d1.storageId, ...a }]);
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('creates a group and reads it back', async () => {
    const res = await send('put', 'deployment-groups/g1', {
      description: 'first',
      blueprint_id: 'bp',
      default_inputs: { size: 2 },
      labels: [{ team: 'core' }, { key: 'env', value: 'prod' }],
      deployment_ids: ['d1', 'd2'],
    }).expect(200);
    expect(res.body).toMatchObject({
      id: 'g1',
      description: 'first',
      default_blueprint_id: 'bp',
      default_inputs: { size: 2 },
      deployment_ids: ['d1', 'd2'],
      creation_counter: 0,
      visibility: 'tenant',
      tenant_name: 'tenant_a',
      created_by: 'alice',
    });
    expect(res.body.created_at).toMatch(TIMESTAMP);
    expect(
      res.body.labels.map((l: { key: string; value: string }) => `${l.key}:${l.value}`),
    ).toEqual(['team:core', 'env:prod']);
    expect((await get('deployment-groups/g1', vera).expect(200)).body.deployment_ids).toEqual([
      'd1',
      'd2',
    ]);
    const listed = await get('deployments?_group_id=g1&_include=id').expect(200);
    expect(listed.body.items).toEqual([{ id: 'd1' }, { id: 'd2' }]);
  });

  it('updates fields and replaces members, keeping what is not given', async () => {
    const res = await send('put', 'deployment-groups/g1', {
      description: 'second',
      deployment_ids: ['d3'],
    }).expect(200);
    expect(res.body).toMatchObject({
      description: 'second',
      default_blueprint_id: 'bp',
      deployment_ids: ['d3'],
    });
    expect(res.body.labels).toHaveLength(2);
  });

  it('adds and removes members with PATCH, by ids, rules, filters and groups', async () => {
    await send('put', 'filters/deployments/prod', {
      filter_rules: [{ key: 'env', values: ['prod'], operator: 'any_of', type: 'label' }],
    }).expect(200);
    let res = await send('patch', 'deployment-groups/g1', {
      add: { filter_id: 'prod' },
    }).expect(200);
    expect(res.body.deployment_ids).toEqual(['d1', 'd3']);
    res = await send('patch', 'deployment-groups/g1', {
      add: {
        filter_rules: [{ key: 'id', values: ['d2'], operator: 'any_of', type: 'attribute' }],
      },
      remove: { deployment_ids: ['d3'] },
    }).expect(200);
    expect(res.body.deployment_ids).toEqual(['d1', 'd2']);
    const copy = await send('put', 'deployment-groups/g2', {
      deployments_from_group: 'g1',
    }).expect(200);
    expect(copy.body.deployment_ids).toEqual(['d1', 'd2']);
    const list = await get('deployment-groups?_sort=-id&_include=id').expect(200);
    expect(list.body.items).toEqual([{ id: 'g2' }, { id: 'g1' }]);
    expect(list.body.metadata.pagination.total).toBe(2);
  });

  it('refuses unknown deployments and blueprints, bad rules and viewers', async () => {
    const missing = await send('put', 'deployment-groups/g3', { deployment_ids: ['nope'] }).expect(
      404,
    );
    expect(missing.body.message).toBe('Requested `Deployment` with ID `nope` was not found');
    await send('put', 'deployment-groups/g3', { blueprint_id: 'nope' }).expect(404);
    const bad = await send('patch', 'deployment-groups/g1', {
      add: { filter_rules: [{ key: 'x', values: [], operator: 'any_of', type: 'label' }] },
    }).expect(400);
    expect(bad.body.error_code).toBe('invalid_filter_rule');
    await send('put', 'deployment-groups/g4', {}, vera).expect(403);
    await get('deployment-groups/g3').expect(404);
  });

  it('creates new deployments from the default blueprint, with id templates, inputs and labels', async () => {
    await http()
      .put('/api/v3.1/blueprints/template')
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .field('params', JSON.stringify({ visibility: 'tenant', async_upload: false }))
      .attach(
        'blueprint_archive',
        buildTarGz([
          { name: 'bp/', kind: 'dir' },
          { name: 'bp/blueprint.yaml', body: TEMPLATE },
        ]),
        { filename: 'bp.tar.gz' },
      )
      .expect(201);
    const noBlueprint = await send('put', 'deployment-groups/fleet', {
      new_deployments: [{}],
    }).expect(409);
    expect(noBlueprint.body.message).toBe(
      'Cannot create deployments: group fleet has no default blueprint set',
    );
    const created = await send('put', 'deployment-groups/fleet', {
      blueprint_id: 'template',
      default_inputs: { tier: 'web' },
      labels: [{ team: 'ops' }],
      new_deployments: [
        { id: 'fleet-{count}', inputs: { size: 'large' }, labels: [{ zone: 'a' }] },
        { display_name: 'second of {group_id}' },
      ],
    }).expect(200);
    expect(created.body.creation_counter).toBe(2);
    expect(created.body.deployment_ids).toHaveLength(2);
    expect(created.body.deployment_ids).toContain('fleet-0');
    const generated = created.body.deployment_ids.find((id: string) => id !== 'fleet-0');
    expect(generated).toMatch(/^fleet-[0-9a-f-]{36}$/);

    // Created through PUT /deployments' path: inputs over the group's, labels plus the group's.
    const first = await get('deployments/fleet-0').expect(200);
    expect(first.body).toMatchObject({
      blueprint_id: 'template',
      inputs: { size: 'large', tier: 'web' },
      deployment_groups: ['fleet'],
    });
    expect(
      first.body.labels.map((l: { key: string; value: string }) => `${l.key}=${l.value}`).sort(),
    ).toEqual(['team=ops', 'zone=a']);
    const second = await get(`deployments/${generated}`).expect(200);
    expect(second.body).toMatchObject({
      display_name: 'second of fleet',
      inputs: { size: 'small', tier: 'web' },
    });
    const creations = await get(
      `executions?deployment_id=fleet-0&workflow_id=create_deployment_environment`,
    ).expect(200);
    expect(creations.body.items[0].status).toBe('terminated');

    // PATCH add.new_deployments adds more; an id that is taken is refused like PUT /deployments'.
    const patched = await send('patch', 'deployment-groups/fleet', {
      add: { new_deployments: [{ id: 'fleet-{count}' }] },
    }).expect(200);
    expect(patched.body.deployment_ids).toContain('fleet-2');
    expect(patched.body.creation_counter).toBe(3);
    const clash = await send('patch', 'deployment-groups/fleet', {
      add: { new_deployments: [{ id: 'fleet-0' }] },
    }).expect(409);
    expect(clash.body.error_code).toBe('conflict_error');
    const badSpec = await send('put', 'deployment-groups/fleet', {
      new_deployments: [{ inputs: 'not-an-object' }],
    }).expect(400);
    expect(badSpec.body.error_code).toBe('bad_parameters_error');
    // Inputs PUT /deployments refuses up front refuse the request the same way.
    const missingInput = await send('put', 'deployment-groups/partial', {
      blueprint_id: 'template',
      new_deployments: [{ id: 'lacks-tier' }],
    }).expect(400);
    expect(missingInput.body.error_code).toBe('missing_required_deployment_input_error');
  });

  it("keeps tenants' groups and deployments apart", async () => {
    await get('deployment-groups/g1', bob, 'tenant_b').expect(404);
    expect((await get('deployment-groups', bob, 'tenant_b').expect(200)).body.items).toEqual([]);
    await send('put', 'deployment-groups/gb', { deployment_ids: ['d1'] }, bob, 'tenant_b').expect(
      404,
    );
    const own = await send(
      'put',
      'deployment-groups/gb',
      { deployment_ids: ['b1'] },
      bob,
      'tenant_b',
    );
    expect(own.status).toBe(200);
    expect(own.body.deployment_ids).toEqual(['b1']);
  });

  it('deletes a group, leaving its deployments', async () => {
    await del('deployment-groups/g2').expect(204);
    await get('deployment-groups/g2').expect(404);
    await get('deployments/d1').expect(200);
    await del('deployment-groups/g2').expect(404);
  });
});
