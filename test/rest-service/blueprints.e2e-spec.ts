import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Blueprint, Deployment, Tenant, User } from '@nestify/model';
import { ArchiveEntry, buildTar, buildTarGz, buildZip, folderEntries } from '../support/archives';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const FIXTURES = resolve(__dirname, '../fixtures');
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The hello-world sample as the Python client packs it: one folder named after the yaml. */
function helloWorld(top = 'hello-world'): ArchiveEntry[] {
  return folderEntries(join(FIXTURES, 'blueprints/01-hello-world'), top).filter(
    (entry) => !entry.name.endsWith('expected-plan.json'),
  );
}

function single(yaml: string, main = 'blueprint.yaml', top = 'bp'): ArchiveEntry[] {
  return [
    { name: `${top}/`, kind: 'dir' },
    { name: `${top}/${main}`, body: yaml },
  ];
}

const LABELLED = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
description: labelled
blueprint_labels:
  env:
    values: [prod]
node_templates:
  vm:
    type: cloudify.nodes.Root
`;

const INVALID = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
node_templates:
  vm:
    type: no.such.Type
`;

/**
 * /blueprints over real HTTP on real PostgreSQL and a real file-server folder: uploads in every
 * archive format and both request forms, parsing with libs/dsl, safe extraction, tenancy, the
 * archive and file-server downloads, deletion rules and labels.
 */
describe('blueprints API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let work: string;
  let resources: string;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-blueprints-'));
    resources = join(work, 'resources');
    rest = await startRestTestApp({
      env: {
        RESOURCES_DIR: resources,
        ARCHIVE_MAX_UNPACKED_MB: '1',
      },
    });
    dataSource = rest.dataSource;
    await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
  });

  afterAll(async () => {
    await rest?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The Python client's multipart upload: `params` JSON and a `blueprint_archive` file part. */
  const upload = (
    id: string,
    archive: Buffer | undefined,
    params: Record<string, unknown> = {},
    auth = alice,
    tenant = 'tenant_a',
  ) => {
    const req = http()
      .put(`/api/v3.1/blueprints/${id}`)
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .field(
        'params',
        JSON.stringify({
          visibility: 'tenant',
          async_upload: false,
          skip_execution: false,
          ...params,
        }),
      );
    return archive
      ? req.attach('blueprint_archive', archive, {
          filename: 'filename',
          contentType: 'text/plain',
        })
      : req;
  };
  const get = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const del = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().delete(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const row = (id: string) => dataSource.getRepository(Blueprint).findOneByOrFail({ id });

  it('uploads a tar.gz (multipart) and returns the blueprint with its plan, storing the files', async () => {
    const archive = buildTarGz(helloWorld());
    const response = await upload('hello', archive).expect(201);
    expect(response.body).toMatchObject({
      id: 'hello',
      state: 'uploaded',
      main_file_name: 'blueprint.yaml',
      description: expect.stringContaining('A web app on a host'),
      error: null,
      error_traceback: null,
      visibility: 'tenant',
      resource_availability: 'tenant',
      private_resource: false,
      tenant_name: 'tenant_a',
      created_by: 'alice',
      is_hidden: false,
      labels: [],
      requirements: { secrets: [], parent_capabilities: [] },
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
      upload_execution: {
        id: expect.any(String),
        workflow_id: 'upload_blueprint',
        status: 'terminated',
        status_display: 'completed',
        blueprint_id: 'hello',
        error: '',
      },
    });
    const nodes = response.body.plan.nodes.map((node: { id: string }) => node.id).sort();
    expect(nodes).toEqual(expect.arrayContaining(['host', 'db']));
    expect(Object.keys(response.body)).toHaveLength(18);
    expect(existsSync(join(resources, 'blueprints/tenant_a/hello/blueprint.yaml'))).toBe(true);
    expect(existsSync(join(resources, 'blueprints/tenant_a/hello/scripts/app-create.sh'))).toBe(
      true,
    );
    expect(
      readFileSync(join(resources, 'uploaded-blueprints/tenant_a/hello/hello.tar.gz')),
    ).toEqual(archive);
    const stored = await row('hello');
    expect(stored.plan).not.toBeNull();
    expect(stored.state).toBe('uploaded');
  });

  it('uploads a zip with another main file and labels from the plan and the request', async () => {
    const archive = buildZip(single(LABELLED, 'main file.yaml', 'labelled'));
    const response = await upload('labelled', archive, {
      application_file_name: encodeURIComponent('main file.yaml'),
      labels: [{ key: 'Owner', value: 'alice' }],
    }).expect(201);
    expect(response.body.main_file_name).toBe('main file.yaml');
    const labels = response.body.labels.map((l: { key: string; value: string }) => [
      l.key,
      l.value,
    ]);
    expect(labels.sort()).toEqual([
      ['env', 'prod'],
      ['owner', 'alice'],
    ]);
    expect(response.body.labels[0]).toEqual({
      key: expect.any(String),
      value: expect.any(String),
      created_at: expect.stringMatching(TIMESTAMP),
      created_by: 'alice',
    });
    expect(existsSync(join(resources, 'uploaded-blueprints/tenant_a/labelled/labelled.zip'))).toBe(
      true,
    );
  });

  it('uploads a tar.bz2', async () => {
    const archive = readFileSync(join(FIXTURES, 'archives/hello-world.tar.bz2'));
    const response = await upload('hello-bz2', archive).expect(201);
    expect(response.body.state).toBe('uploaded');
    expect(existsSync(join(resources, 'uploaded-blueprints/tenant_a/hello-bz2/hello-bz2.tar.bz2')));
  });

  it('accepts the legacy form: params in the query, the archive as a raw body labelled JSON', async () => {
    const response = await http()
      .put('/api/v3.1/blueprints/hello-raw')
      .query({
        visibility: 'private',
        async_upload: 'False',
        application_file_name: 'blueprint.yaml',
      })
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .set('Content-Type', 'application/json')
      // Raw tar bytes despite the JSON label, as the Python client sends them.
      .serialize((body: Buffer) => body as unknown as string)
      .send(buildTar(helloWorld()))
      .expect(201);
    expect(response.body).toMatchObject({
      id: 'hello-raw',
      state: 'uploaded',
      visibility: 'private',
      private_resource: true,
    });
    expect(
      existsSync(join(resources, 'uploaded-blueprints/tenant_a/hello-raw/hello-raw.tar')),
    ).toBe(true);
  });

  it('gets with _include and lists with sorting, search, filters and paging', async () => {
    const included = await get('blueprints/hello?_include=id,state').expect(200);
    expect(included.body).toEqual({ id: 'hello', state: 'uploaded' });
    const list = await get('blueprints?_sort=-id&_include=id').expect(200);
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([
      'labelled',
      'hello-raw',
      'hello-bz2',
      'hello',
    ]);
    expect(list.body.metadata.pagination).toEqual({ total: 4, size: 1000, offset: 0 });
    const search = await get('blueprints?_search=BZ2&_include=id').expect(200);
    expect(search.body.items).toEqual([{ id: 'hello-bz2' }]);
    const filtered = await get('blueprints?id=hello&id=labelled&_sort=id&_include=id').expect(200);
    expect(filtered.body.items).toEqual([{ id: 'hello' }, { id: 'labelled' }]);
    const page = await get('blueprints?_sort=id&_size=1&_offset=1&_include=id').expect(200);
    expect(page.body.items).toEqual([{ id: 'hello-bz2' }]);
    await get('blueprints?colour=red').expect(400);
    const badInclude = await get('blueprints/hello?_include=colour').expect(400);
    expect(badInclude.body.error_code).toBe('no_such_include_field_error');
  });

  it('keeps an invalid blueprint as `invalid` with the DSL error, and lets a new upload replace it', async () => {
    const failed = await upload('broken', buildTarGz(single(INVALID))).expect(400);
    expect(failed.body.error_code).toBe('invalid_blueprint_error');
    expect(failed.body.message).toMatch(
      /^Blueprint `broken` is invalid\. Error: Invalid blueprint - blueprint\.yaml:\d+:\d+: .*no\.such\.Type/,
    );
    const stored = await get('blueprints/broken').expect(200);
    expect(stored.body).toMatchObject({
      state: 'invalid',
      plan: null,
      error: expect.stringContaining('Invalid blueprint - '),
      upload_execution: { status: 'failed' },
    });
    expect(existsSync(join(resources, 'uploaded-blueprints/tenant_a/broken'))).toBe(false);
    const replaced = await upload('broken', buildTarGz(single(LABELLED))).expect(201);
    expect(replaced.body.state).toBe('uploaded');
    expect(await dataSource.getRepository(Blueprint).countBy({ id: 'broken' })).toBe(1);
  });

  it('refuses a duplicate id, a bad id, a missing main file and an unknown format', async () => {
    const duplicate = await upload('hello', buildTarGz(helloWorld())).expect(409);
    expect(duplicate.body).toEqual({
      message:
        'blueprint with id=hello already exists on tenant tenant_a or with global visibility',
      error_code: 'conflict_error',
      server_traceback: null,
    });
    const badId = await upload('1st', buildTarGz(helloWorld())).expect(400);
    expect(badId.body.error_code).toBe('bad_parameters_error');
    expect(badId.body.message).toMatch(/must begin with a letter/);
    const missing = await upload('no-main', buildTarGz(helloWorld()), {
      application_file_name: 'other.yaml',
    }).expect(400);
    expect(missing.body.message).toBe(
      'Blueprint `no-main` has failed extracting. Error: other.yaml does not exist in the application directory',
    );
    const unknown = await upload('not-archive', Buffer.from('plain text, not an archive')).expect(
      400,
    );
    expect(unknown.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message: expect.stringContaining('Blueprint archive is of an unrecognized format'),
    });
    expect((await row('not-archive')).state).toBe('failed_uploading');
  });

  it('refuses URL uploads (offline) with a message naming the URL, and URL plus file', async () => {
    const url = 'https://example.com/bp.zip';
    const offline = await upload('from-url', undefined, { blueprint_archive_url: url }).expect(400);
    expect(offline.body.error_code).toBe('invalid_blueprint_error');
    expect(offline.body.message).toContain(`Cannot fetch ${url}`);
    expect((await row('from-url')).state).toBe('failed_uploading');
    const both = await upload('both', buildTarGz(helloWorld()), {
      blueprint_archive_url: url,
    }).expect(400);
    expect(both.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message: expect.stringContaining('only one of'),
    });
  });

  describe('refuses unsafe archives, writing nothing outside the blueprint folder', () => {
    const zeros = Buffer.alloc(2 * 1024 * 1024);
    const cases: Array<[string, Buffer, RegExp]> = [
      [
        'path traversal',
        buildTarGz([...helloWorld(), { name: 'hello-world/../../evil', body: 'x' }]),
        /points outside the archive folder/,
      ],
      [
        'an absolute path',
        buildTarGz([...helloWorld(), { name: '/tmp/nestify-evil-abs', body: 'x' }]),
        /absolute path/,
      ],
      [
        'a symlink to /etc/passwd',
        buildTarGz([
          ...helloWorld(),
          { name: 'hello-world/passwd', kind: 'symlink', linkname: '/etc/passwd' },
        ]),
        /is a link/,
      ],
      [
        'a zip symlink',
        buildZip([
          ...helloWorld(),
          { name: 'hello-world/passwd', kind: 'symlink', linkname: '/etc/passwd' },
        ]),
        /is a link/,
      ],
      [
        'a bomb',
        buildTarGz([...helloWorld(), { name: 'hello-world/zeros', body: zeros }]),
        /unpacks to more than 1 MiB/,
      ],
      [
        'two top-level folders',
        buildTarGz([...helloWorld(), ...helloWorld('second')]),
        /exactly 1 directory/,
      ],
    ];

    it.each(cases)('%s', async (_name, archive, message) => {
      const id = `evil-${Math.random().toString(36).slice(2, 8)}`;
      const response = await upload(id, archive).expect(400);
      expect(response.body.error_code).toBe('invalid_blueprint_error');
      expect(response.body.message).toMatch(/has failed extracting\. Error: /);
      expect(response.body.message).toMatch(message);
      expect((await row(id)).state).toBe('failed_extracting');
      expect(readdirSync(work)).toEqual(['resources']);
      expect(existsSync('/tmp/nestify-evil-abs')).toBe(false);
      expect(existsSync(join(resources, 'blueprints/tenant_a', id))).toBe(false);
      expect(existsSync(join(resources, 'uploaded-blueprints/tenant_a', id))).toBe(false);
      expect(readdirSync(join(resources, 'tmp')).filter((name) => name !== 'multipart')).toEqual(
        [],
      );
    });
  });

  it('downloads the stored archive byte for byte', async () => {
    const response = await get('blueprints/hello/archive')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-disposition']).toContain('filename=hello.tar.gz');
    expect(response.body).toEqual(
      readFileSync(join(resources, 'uploaded-blueprints/tenant_a/hello/hello.tar.gz')),
    );
  });

  it('serves extracted files under /resources, only in the caller’s tenant and folder', async () => {
    const file = await http()
      .get('/resources/blueprints/tenant_a/hello/scripts/app-create.sh')
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .expect(200);
    expect(Buffer.from(file.body).toString()).toBe(
      readFileSync(join(FIXTURES, 'blueprints/01-hello-world/scripts/app-create.sh'), 'utf8'),
    );
    for (const path of [
      '/resources/blueprints/tenant_a/hello/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/resources/blueprints/tenant_a/hello/%2E%2E/labelled/main%20file.yaml',
      '/resources/blueprints/tenant_a/hello/no-such-file',
    ]) {
      await http().get(path).set('Authorization', alice).set('Tenant', 'tenant_a').expect(404);
    }
    await http()
      .get('/resources/blueprints/tenant_a/hello/blueprint.yaml')
      .set('Authorization', bob)
      .set('Tenant', 'tenant_b')
      .expect(404);
    await http().get('/resources/blueprints/tenant_a/hello/blueprint.yaml').expect(401);
  });

  it('keeps tenants apart: another tenant can neither see, get, download nor delete', async () => {
    await get('blueprints/hello', bob, 'tenant_b').expect(404);
    const list = await get('blueprints', bob, 'tenant_b').expect(200);
    expect(list.body.metadata.pagination.total).toBe(0);
    await get('blueprints/hello/archive', bob, 'tenant_b').expect(404);
    await del('blueprints/hello', bob, 'tenant_b').expect(404);
    await get('blueprints', bob, 'tenant_a').expect(403);
    // The same id is free in another tenant.
    await upload('hello', buildTarGz(helloWorld()), {}, bob, 'tenant_b').expect(201);
  });

  it('resolves `blueprint:` imports from uploaded blueprints and protects what is imported', async () => {
    const dir = join(FIXTURES, 'blueprints/12-blueprint-import');
    const database = [
      { name: 'database/', kind: 'dir' as const },
      {
        name: 'database/blueprint.yaml',
        body: readFileSync(join(dir, 'blueprints/database.yaml')),
      },
    ];
    await upload('database', buildTarGz(database)).expect(201);
    const main = await upload(
      'main',
      buildTarGz(single(readFileSync(join(dir, 'blueprint.yaml'), 'utf8'))),
    ).expect(201);
    expect(main.body.plan.imported_blueprints).toEqual(['database']);
    expect(main.body.plan.nodes.map((n: { id: string }) => n.id)).toContain('db--db');
    const inUse = await del('blueprints/database').expect(405);
    expect(inUse.body).toMatchObject({
      error_code: 'blueprint_in_use',
      message: 'Blueprint database is currently in use. You can "force" blueprint removal.',
    });
    const missing = await upload(
      'orphan',
      buildTarGz(
        single(
          'tosca_definitions_version: cloudify_dsl_1_5\nimports:\n  - cloudify/types/types.yaml\n  - x--blueprint:nope\n',
        ),
      ),
    ).expect(400);
    expect(missing.body.message).toContain('Requested blueprint import `nope` was not found');
    const plugin = await upload(
      'needs-plugin',
      buildTarGz(
        single('tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - plugin:cloudmock\n'),
      ),
    ).expect(400);
    expect(plugin.body.message).toContain('Couldn\'t find plugin "cloudmock"');
    await del('blueprints/main').expect(204);
    await del('blueprints/database').expect(204);
  });

  it('refuses to delete a blueprint with deployments, then deletes it with its files', async () => {
    const blueprint = await row('hello-bz2');
    const tenant = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_a' });
    const user = await dataSource.getRepository(User).findOneByOrFail({ username: 'alice' });
    const deployments = dataSource.getRepository(Deployment);
    const deployment = await deployments.save(
      deployments.create({
        id: 'dep1',
        blueprintFk: blueprint.storageId,
        tenantId: tenant.id,
        creatorId: user.id,
      }),
    );
    const refused = await del('blueprints/hello-bz2?force=False').expect(400);
    expect(refused.body).toMatchObject({
      error_code: 'dependent_exists_error',
      message:
        "Can't delete blueprint hello-bz2 - There exist deployments for this blueprint; Deployments ids: dep1",
    });
    await deployments.delete({ storageId: deployment.storageId });
    await del('blueprints/hello-bz2').expect(204);
    await get('blueprints/hello-bz2').expect(404);
    expect(existsSync(join(resources, 'blueprints/tenant_a/hello-bz2'))).toBe(false);
    expect(existsSync(join(resources, 'uploaded-blueprints/tenant_a/hello-bz2'))).toBe(false);
    // Failed uploads are always deletable.
    await del('blueprints/not-archive').expect(204);
  });

  it('lists label keys and values, and reserved keys on request', async () => {
    const keys = await get('labels/blueprints').expect(200);
    expect(keys.body.items).toEqual(['env', 'owner']);
    expect(keys.body.metadata.pagination.total).toBe(2);
    const values = await get('labels/blueprints/env').expect(200);
    expect(values.body.items).toEqual(['prod']);
    const reserved = await get('labels/blueprints?_reserved=true').expect(200);
    expect(reserved.body.items).toContain('csys-obj-type');
    const fromB = await get('labels/blueprints', bob, 'tenant_b').expect(200);
    expect(fromB.body.items).toEqual([]);
  });

  it('widens visibility (global needs an admin) and never narrows it', async () => {
    const patch = (visibility: string, auth = alice) =>
      http()
        .patch('/api/v3.1/blueprints/labelled/set-visibility')
        .set('Authorization', auth)
        .set('Tenant', 'tenant_a')
        .send({ visibility });
    const denied = await patch('global').expect(403);
    expect(denied.body.message).toBe(
      'User `alice` is not permitted to set or create a global resource',
    );
    const global = await patch('global', admin).expect(200);
    expect(global.body.visibility).toBe('global');
    const fromB = await get('blueprints/labelled', bob, 'tenant_b').expect(200);
    expect(fromB.body.tenant_name).toBe('tenant_a');
    const narrowed = await patch('tenant', admin).expect(400);
    expect(narrowed.body.error_code).toBe('illegal_action_error');
    const bad = await patch('private').expect(400);
    expect(bad.body.error_code).toBe('bad_parameters_error');
  });
});
