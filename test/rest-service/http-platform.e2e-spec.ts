import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Site } from '@nestify/model';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';
import { basic } from '../support/rest-users';

const CLOUDIFY_ERROR = { message: expect.any(String), server_traceback: null };

/**
 * What the Fastify platform must do as Express did, for Cloudify's clients: bodiless requests
 * labelled JSON, paths with a trailing slash or long ids, and multipart uploads held to their
 * limits without leaving files behind.
 */
describe('REST service HTTP platform', () => {
  let rest: RestTestApp;
  let work: string;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const as = (req: request.Test) => req.set('Authorization', admin).set('Tenant', 'default_tenant');
  const http = () => request(rest.baseUrl);
  const multipartLeftovers = () => {
    const dir = join(work, 'resources', 'tmp', 'multipart');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-http-platform-'));
    rest = await startRestTestApp({
      env: { RESOURCES_DIR: join(work, 'resources'), ARCHIVE_MAX_UNPACKED_MB: '1' },
    });
  });

  afterAll(async () => {
    await rest?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('takes a bodiless DELETE labelled JSON, as Cloudify’s Python client sends it', async () => {
    await as(http().put('/api/v3.1/sites/doomed')).send({}).expect(200);
    await as(http().delete('/api/v3.1/sites/doomed'))
      .set('Content-Type', 'application/json')
      .set('Content-Length', '0')
      .expect(204);
    expect(await rest.dataSource.getRepository(Site).countBy({ name: 'doomed' })).toBe(0);
  });

  it('routes a path with a trailing slash, and a path parameter longer than 100 characters', async () => {
    const listed = await as(http().get('/api/v3.1/sites/')).expect(200);
    expect(listed.body).toHaveProperty('items');
    const longName = 'x'.repeat(180);
    const missing = await as(http().get(`/api/v3.1/sites/${longName}`)).expect(404);
    expect(missing.body).toEqual({ ...CLOUDIFY_ERROR, error_code: 'not_found_error' });
  });

  it('refuses a multipart archive over the upload limit with 413, keeping no part of it', async () => {
    // ARCHIVE_MAX_UNPACKED_MB=1: archives up to 3 MiB.
    const response = await as(http().post('/api/v3.1/plugins'))
      .attach('plugin_archive', randomBytes(4 * 1024 * 1024), 'huge.zip')
      .expect(413);
    expect(response.body).toEqual({ ...CLOUDIFY_ERROR, error_code: 'payload_too_large_error' });
    expect(multipartLeftovers()).toEqual([]);
  });

  it('refuses a blueprint upload whose file part has another name, or two files, with 400', async () => {
    const misnamed = await as(http().put('/api/v3.1/blueprints/misnamed'))
      .field('params', JSON.stringify({ visibility: 'tenant' }))
      .attach('archive', Buffer.from('not an archive'), 'bp.tar')
      .expect(400);
    expect(misnamed.body).toEqual({ ...CLOUDIFY_ERROR, error_code: 'bad_parameters_error' });
    const twoFiles = await as(http().post('/api/v3.1/plugins'))
      .attach('one', Buffer.from('first'), 'one.zip')
      .attach('two', Buffer.from('second'), 'two.zip')
      .expect(400);
    expect(twoFiles.body).toEqual({ ...CLOUDIFY_ERROR, error_code: 'bad_parameters_error' });
    expect(multipartLeftovers()).toEqual([]);
  });
});
