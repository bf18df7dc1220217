import SwaggerParser from '@apidevtools/swagger-parser';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { RouteOptions } from 'fastify';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { RestTestApp, startRestTestApp } from '../support/rest-app';

const PREFIX = '/api/v3.1';

/**
 * Records every `METHOD /path` Fastify serves under /api/v3.1, in OpenAPI's path syntax — read
 * from Fastify's own route registrations rather than from Nest's metadata, the source the
 * document comes from.
 */
function recordServedRoutes(app: NestFastifyApplication, routes: Set<string>): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route: Pick<RouteOptions, 'method' | 'url'>) => {
    const url = route.url ?? '';
    if (!url.startsWith(`${PREFIX}/`)) return;
    // `:name` becomes `{name}`, as @nestjs/swagger writes it.
    const documented = url.slice(PREFIX.length).replace(/:(\w+)/g, '{$1}');
    // Fastify adds a HEAD route beside each GET by itself; it is not an endpoint of ours.
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.add(`${method} ${documented}`);
    }
  });
}

/** The OpenAPI document and Swagger UI of the REST service, on the real app. */
describe('rest-service OpenAPI', () => {
  let rest: RestTestApp;
  let doc: OpenAPIObject;
  const served = new Set<string>();
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp({ beforeInit: (app) => recordServedRoutes(app, served) });
    doc = (await http().get('/api/docs-json').expect(200)).body as OpenAPIObject;
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('serves a valid OpenAPI document without credentials', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.info).toMatchObject({ title: 'nestify', version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: PREFIX }]);
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['basic', 'token']);
  });

  it('documents every route the app serves, with its method', () => {
    const routes = [...served].sort();
    expect(routes.length).toBeGreaterThan(5);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('documents Cloudify error bodies on every operation, and auth errors where credentials are needed', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(operation.responses);
        expect([where, statuses.some((s) => Number(s) >= 400)]).toEqual([where, true]);
        const isPublic = JSON.stringify(operation.security) === '[{}]';
        if (!isPublic)
          expect([where, statuses]).toEqual([where, expect.arrayContaining(['400', '401', '403'])]);
      }
    }
    expect(doc.components?.schemas?.ErrorResponseDto).toMatchObject({
      properties: {
        message: { type: 'string' },
        error_code: { type: 'string' },
        server_traceback: { type: 'string', nullable: true },
      },
    });
  });

  it('marks public routes and the Tenant header of tenant-scoped ones', () => {
    expect(doc.paths['/version'].get?.security).toEqual([{}]);
    expect(doc.paths['/ok'].get?.security).toEqual([{}]);
    expect(doc.paths['/tokens'].get?.security).toBeUndefined(); // the document's basic or token
    const tenantHeader = { name: 'Tenant', in: 'header', required: true };
    expect(doc.paths['/sites/{name}'].put?.parameters).toContainEqual(
      expect.objectContaining(tenantHeader),
    );
    expect(doc.paths['/tokens'].get?.parameters ?? []).not.toContainEqual(
      expect.objectContaining({ name: 'Tenant' }),
    );
  });

  it('shows DTO fields the swagger plugin found (types, optionality, JSDoc)', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(schemas.SiteResponseDto).toMatchObject({
      properties: {
        name: { type: 'string' },
        latitude: { type: 'number', nullable: true },
        visibility: { enum: ['private', 'tenant', 'global'] },
      },
      required: expect.arrayContaining(['name', 'location', 'visibility', 'tenant_name']),
    });
    expect(schemas.UpdateSiteDto).toMatchObject({
      properties: {
        new_name: { type: 'string' },
        location: { type: 'string', description: expect.stringContaining('latitude') },
      },
    });
    expect(schemas.UpdateSiteDto).not.toHaveProperty('required');
    expect(doc.paths['/sites'].get?.responses['200']).toMatchObject({
      content: {
        'application/json': {
          schema: {
            properties: { items: { items: { $ref: '#/components/schemas/SiteResponseDto' } } },
          },
        },
      },
    });
    expect(doc.paths['/sites/{name}'].get?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/SiteResponseDto' } } },
    });
  });

  it('serves Swagger UI with its scripts and styles', async () => {
    const page = await http().get('/api/docs').expect(200).expect('Content-Type', /html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      // Resolved against the page's own URL, as a browser does.
      await http().get(new URL(asset, 'http://host/api/docs').pathname).expect(200);
    }
  });

  it('has an up-to-date generated plugin metadata file (else: npm run openapi:metadata)', () => {
    const script = join(__dirname, '../../scripts/openapi-metadata.js');
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
