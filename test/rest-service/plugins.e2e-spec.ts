import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ArchiveEntry, buildTarGz, buildZip } from '../support/archives';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PACKAGE = 'nestify-demo-plugin';

/** A plugin.yaml declaring plugin `demo` of the package at `version`, and a node type using it. */
function pluginYaml(version: string, task = 'create'): string {
  return `plugins:
  demo:
    executor: central_deployment_agent
    package_name: ${PACKAGE}
    package_version: '${version}'
node_types:
  demo.nodes.Thing:
    derived_from: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: demo.tasks.${task}
`;
}

/** Cloudify's plugin bundle: a zip with the yaml (and here a readme) at its top. */
function yamlZip(version: string): Buffer {
  return buildZip([
    { name: 'plugin.yaml', body: pluginYaml(version) },
    { name: 'README.md', body: 'demo' },
  ]);
}

/** `npm pack` of a TypeScript plugin: everything under `package/`. */
function npmTarball(version: string): Buffer {
  return buildTarGz([
    { name: 'package/package.json', body: JSON.stringify({ name: PACKAGE, version }) },
    { name: 'package/plugin.yaml', body: pluginYaml(version, 'create_in_typescript') },
    { name: 'package/dist/index.js', body: 'module.exports = {};\n' },
  ]);
}

function blueprintImporting(spec: string): Buffer {
  const yaml = `tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
  - ${spec}
node_templates:
  thing:
    type: demo.nodes.Thing
`;
  return buildTarGz([
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: yaml },
  ]);
}

/**
 * /plugins over real HTTP on real PostgreSQL and a real file-server folder: uploads of both
 * package kinds in both request forms, listing, downloads, refusals, `plugin:` imports in
 * blueprint uploads, delete rules and tenancy.
 */
describe('plugins API', () => {
  let rest: RestTestApp;
  let work: string;
  let resources: string;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const vera = basic('vera', 'vera-pw'); // viewer in tenant_a
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-plugins-'));
    resources = join(work, 'resources');
    rest = await startRestTestApp({
      env: {
        RESOURCES_DIR: resources,
        ARCHIVE_MAX_UNPACKED_MB: '1',
      },
    });
    const dataSource = rest.app.get(DataSource);
    await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    await createUser(dataSource, 'vera', 'vera-pw', { tenant_a: 'viewer' });
  });

  afterAll(async () => {
    await rest?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** As Cloudify's Python client does it: raw body, labelled application/json, query params. */
  const uploadRaw = (
    archive: Buffer,
    query = 'visibility=tenant',
    auth = alice,
    tenant = 'tenant_a',
  ) =>
    http()
      .post(`/api/v3.1/plugins?${query}`)
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .set('Content-Type', 'application/json')
      .serialize((body: Buffer) => body as unknown as string)
      .send(archive);
  const uploadMultipart = (
    archive: Buffer,
    filename: string,
    fields: Record<string, string> = {},
  ) => {
    const req = http()
      .post('/api/v3.1/plugins')
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a');
    for (const [name, value] of Object.entries(fields)) req.field(name, value);
    return req.attach('plugin_archive', archive, filename);
  };
  const get = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const del = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().delete(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const uploadBlueprint = (id: string, archive: Buffer) =>
    http()
      .put(`/api/v3.1/blueprints/${id}`)
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .field('params', JSON.stringify({ visibility: 'tenant' }))
      .attach('blueprint_archive', archive, 'bp.tar.gz');

  let zipId: string;
  let npmId: string;
  const npm2 = npmTarball('2.0.0');

  it('uploads a zip with plugin.yaml as the raw body and stores its files', async () => {
    const response = await uploadRaw(yamlZip('1.0.0')).expect(201);
    expect(response.body).toMatchObject({
      package_name: PACKAGE,
      package_version: '1.0.0',
      archive_name: `${PACKAGE}-1.0.0.zip`,
      supported_platform: 'any',
      distribution: null,
      wheels: [],
      title: PACKAGE,
      installation_state: [],
      visibility: 'tenant',
      tenant_name: 'tenant_a',
      created_by: 'alice',
      yaml_url_path: `plugin:${PACKAGE}?version=1.0.0`,
    });
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.uploaded_at).toMatch(TIMESTAMP);
    zipId = response.body.id;
    expect(response.body.yaml_files_paths).toEqual([`plugins/tenant_a/${zipId}/plugin.yaml`]);
    const dir = join(resources, 'plugins', 'tenant_a', zipId);
    expect(readdirSync(dir).sort()).toEqual([`${PACKAGE}-1.0.0.zip`, 'plugin.yaml']);
  });

  it('uploads an npm tarball of a TypeScript plugin as a multipart file', async () => {
    const response = await uploadMultipart(npm2, 'demo-2.0.0.tgz', {
      title: 'Demo plugin',
    }).expect(201);
    expect(response.body).toMatchObject({
      package_name: PACKAGE,
      package_version: '2.0.0',
      archive_name: `${PACKAGE}-2.0.0.tgz`,
      title: 'Demo plugin',
      visibility: 'tenant',
    });
    npmId = response.body.id;
    const dir = join(resources, 'plugins', 'tenant_a', npmId);
    expect(readdirSync(dir).sort()).toEqual([`${PACKAGE}-2.0.0.tgz`, 'plugin.yaml']);
  });

  it('gets, lists, searches, filters, sorts and pages', async () => {
    const one = await get(`plugins/${zipId}?_include=id,package_version`).expect(200);
    expect(one.body).toEqual({ id: zipId, package_version: '1.0.0' });
    const all = await get('plugins?_sort=-package_version').expect(200);
    expect(all.body.metadata.pagination).toEqual({ total: 2, size: 1000, offset: 0 });
    expect(all.body.items.map((p: { id: string }) => p.id)).toEqual([npmId, zipId]);
    const searched = await get('plugins?_search=DEMO').expect(200);
    expect(searched.body.metadata.pagination.total).toBe(2);
    expect((await get('plugins?_search=nothing').expect(200)).body.items).toEqual([]);
    const filtered = await get(`plugins?package_name=${PACKAGE}&package_version=2.0.0`).expect(200);
    expect(filtered.body.items.map((p: { id: string }) => p.id)).toEqual([npmId]);
    const page = await get('plugins?_sort=package_version&_size=1&_offset=1').expect(200);
    expect(page.body.items.map((p: { id: string }) => p.id)).toEqual([npmId]);
    expect(page.body.metadata.pagination).toEqual({ total: 2, size: 1, offset: 1 });
    await get('plugins?nope=1').expect(400);
    const missing = await get('plugins/no-such-plugin').expect(404);
    expect(missing.body.error_code).toBe('not_found_error');
  });

  it('downloads the package and the yaml as uploaded', async () => {
    const archive = await get(`plugins/${npmId}/archive`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((archive.body as Buffer).equals(npm2)).toBe(true);
    expect(archive.headers['content-disposition']).toContain(`${PACKAGE}-2.0.0.tgz`);
    const yaml = await get(`plugins/${zipId}/yaml`).buffer(true).expect(200);
    expect(yaml.text ?? (yaml.body as Buffer).toString()).toBe(pluginYaml('1.0.0'));
  });

  it('refuses a duplicate package and version with 409', async () => {
    const again = await uploadRaw(yamlZip('1.0.0')).expect(409);
    expect(again.body.error_code).toBe('conflict_error');
    const npmAgain = await uploadRaw(npmTarball('2.0.0')).expect(409);
    expect(npmAgain.body.error_code).toBe('conflict_error');
  });

  it.each<[string, Buffer, RegExp]>([
    ['not an archive', Buffer.from('just text'), /must be a zip/],
    ['a zip without yaml', buildZip([{ name: 'README.md', body: 'x' }]), /no plugin.yaml/],
    [
      'a tarball without package.json',
      buildTarGz([{ name: 'package/plugin.yaml', body: pluginYaml('9.0.0') }]),
      /must be a zip/,
    ],
    [
      'an npm tarball without plugin.yaml',
      buildTarGz([
        { name: 'package/package.json', body: JSON.stringify({ name: 'x', version: '1.0.0' }) },
      ]),
      /no plugin.yaml/,
    ],
    [
      'a yaml without plugins',
      buildZip([{ name: 'plugin.yaml', body: 'node_types: {}\n' }]),
      /declares no plugins/,
    ],
    [
      'a zip with a traversal entry',
      buildZip([
        { name: 'plugin.yaml', body: pluginYaml('9.0.0') },
        { name: '../../evil.yaml', body: 'x' },
      ]),
      /outside the archive/,
    ],
    [
      'a zip with a symlink',
      buildZip([
        { name: 'plugin.yaml', body: pluginYaml('9.0.0') },
        { name: 'link.yaml', kind: 'symlink', linkname: '/etc/passwd' },
      ]),
      /is a link/,
    ],
    [
      'a tarball with an absolute path',
      buildTarGz([
        { name: 'package/package.json', body: JSON.stringify({ name: 'x', version: '1.0.0' }) },
        { name: '/tmp/nestify-evil-plugin', body: 'x' },
      ]),
      /absolute path/,
    ],
    [
      'a zip bomb',
      buildZip([
        { name: 'plugin.yaml', body: pluginYaml('9.0.0') },
        { name: 'big', body: Buffer.alloc(2 * 1024 * 1024) },
      ] as ArchiveEntry[]),
      /unpacks to more than/,
    ],
  ])('refuses %s with 400 invalid_plugin_error', async (_name, archive, message) => {
    const response = await uploadRaw(archive).expect(400);
    expect(response.body.error_code).toBe('invalid_plugin_error');
    expect(response.body.message).toMatch(message);
    expect(existsSync('/tmp/nestify-evil-plugin')).toBe(false);
    expect(readdirSync(join(resources, 'plugins', 'tenant_a')).sort()).toEqual(
      [zipId, npmId].sort(),
    );
  });

  it('refuses an upload without an archive, from a URL, or by a viewer', async () => {
    const none = await http()
      .post('/api/v3.1/plugins')
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .expect(400);
    expect(none.body.error_code).toBe('upload_missing_file');
    await uploadRaw(Buffer.alloc(0), 'plugin_archive_url=http://example.com/p.zip').expect(400);
    const viewer = await uploadRaw(yamlZip('3.0.0'), 'visibility=tenant', vera).expect(403);
    expect(viewer.body.error_code).toBe('forbidden_error');
    await get(`plugins/${zipId}`, vera).expect(200);
    await del(`plugins/${zipId}`, vera).expect(403);
    const global = await uploadRaw(yamlZip('3.0.0'), 'visibility=global').expect(403);
    expect(global.body.message).toContain('global resource');
  });

  it('resolves plugin: imports to the newest version, or the one asked for', async () => {
    const newest = await uploadBlueprint(
      'uses-newest',
      blueprintImporting(`plugin:${PACKAGE}`),
    ).expect(201);
    const create = (plan: { nodes: Array<{ operations: Record<string, unknown> }> }) =>
      plan.nodes[0].operations['cloudify.interfaces.lifecycle.create'];
    expect(create(newest.body.plan)).toMatchObject({
      operation: 'tasks.create_in_typescript',
      plugin: 'demo',
      executor: 'central_deployment_agent',
    });
    const pinned = await uploadBlueprint(
      'uses-v1',
      blueprintImporting(`plugin:${PACKAGE}?version=1.0.0`),
    ).expect(201);
    expect(create(pinned.body.plan)).toMatchObject({
      operation: 'tasks.create',
      plugin: 'demo',
      executor: 'central_deployment_agent',
    });
    expect(pinned.body.plan.deployment_plugins_to_install).toEqual([
      expect.objectContaining({ name: 'demo', package_name: PACKAGE, package_version: '1.0.0' }),
    ]);
    // By the plugin name its yaml declares, and with a version range.
    const byName = await uploadBlueprint(
      'by-name',
      blueprintImporting('plugin:demo?version=<2'),
    ).expect(201);
    expect(create(byName.body.plan)).toMatchObject({ operation: 'tasks.create' });
    await del('blueprints/by-name').expect(204);
    const unknown = await uploadBlueprint(
      'unknown',
      blueprintImporting(`plugin:${PACKAGE}?version=7.0`),
    ).expect(400);
    expect(unknown.body.message).toContain(`Couldn't find plugin "${PACKAGE}" with version 7.0`);
    const badParam = await uploadBlueprint(
      'bad-param',
      blueprintImporting(`plugin:${PACKAGE}?colour=red`),
    ).expect(400);
    expect(badParam.body.message).toContain('invalid parameter colour');
  });

  it('refuses to delete a plugin an uploaded blueprint uses, unless forced', async () => {
    const inUse = await del(`plugins/${zipId}`).expect(405);
    expect(inUse.body).toMatchObject({
      error_code: 'plugin_in_use',
      message: `Plugin "${zipId}" is currently in use in blueprints: uses-v1. You can "force" plugin removal if needed.`,
    });
    await del('blueprints/uses-newest').expect(204);
    await del(`plugins/${npmId}`).expect(204);
    expect(existsSync(join(resources, 'plugins', 'tenant_a', npmId))).toBe(false);
    await get(`plugins/${npmId}`).expect(404);
    // Cloudify's client sends `force` in a JSON body.
    await del(`plugins/${zipId}`).send({ force: true }).expect(204);
    await get(`plugins/${zipId}`).expect(404);
    await del('blueprints/uses-v1').expect(204);
  });

  it('keeps tenants apart, and shares global plugins for reading and importing', async () => {
    const own = await uploadRaw(yamlZip('5.0.0'), 'visibility=tenant', bob, 'tenant_b').expect(201);
    await get(`plugins/${own.body.id}`).expect(404);
    expect((await get('plugins').expect(200)).body.items).toEqual([]);
    // The same package and version may exist in another tenant.
    const mine = await uploadRaw(yamlZip('5.0.0')).expect(201);
    const imported = await uploadBlueprint(
      'tenant-import',
      blueprintImporting(`plugin:${PACKAGE}`),
    ).expect(201);
    expect(imported.body.plan.deployment_plugins_to_install[0].package_version).toBe('5.0.0');
    await del('blueprints/tenant-import').expect(204);
    await del(`plugins/${own.body.id}`).expect(404);
    await del(`plugins/${mine.body.id}`).expect(204);
    // A global plugin (admin upload) is visible and importable elsewhere, not deletable there.
    const global = await uploadRaw(yamlZip('6.0.0'), 'visibility=global', admin, 'tenant_b').expect(
      201,
    );
    expect(global.body.visibility).toBe('global');
    await get(`plugins/${global.body.id}`).expect(200);
    const viaGlobal = await uploadBlueprint(
      'via-global',
      blueprintImporting(`plugin:${PACKAGE}`),
    ).expect(201);
    expect(viaGlobal.body.plan.deployment_plugins_to_install[0].package_version).toBe('6.0.0');
    const foreign = await del(`plugins/${global.body.id}`).send({ force: true }).expect(403);
    expect(foreign.body.error_code).toBe('forbidden_error');
    // A global upload clashes with the same package in any tenant.
    await uploadRaw(yamlZip('6.0.0')).expect(409);
    await del('blueprints/via-global').expect(204);
  });
});
