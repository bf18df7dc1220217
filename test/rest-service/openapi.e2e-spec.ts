import SwaggerParser from '@apidevtools/swagger-parser';
import { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { spawnSync } from 'node:child_process';
import { METHODS } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '@nestify/config';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';

const PREFIX = '/api/v3.1';

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every `METHOD /path` the Express router serves under /api/v3.1, in OpenAPI's path syntax —
 * read from Express itself rather than from Nest's metadata, the source the document comes from.
 */
function servedRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const routes = new Set<string>();
  for (const { route } of express.router.stack) {
    if (!route) continue;
    const methods = Object.keys(route.methods).filter((m) => route.methods[m]);
    // Middleware bound to every method (the request logger's `{*path}`) is not an endpoint.
    if (methods.length >= METHODS.length) continue;
    for (const path of [route.path].flat()) {
      if (!path.startsWith(`${PREFIX}/`)) continue;
      // `:name`, `*name` and optional `{/:name}` all become `{name}`, as @nestjs/swagger writes them.
      const documented = path
        .slice(PREFIX.length)
        .replace(/[{}]/g, '')
        .replace(/[:*](\w+)/g, '{$1}');
      // An `@All()` route: swagger lists it under every common method; GET stands for them.
      for (const method of methods)
        routes.add(`${method === '_all' ? 'GET' : method.toUpperCase()} ${documented}`);
    }
  }
  return [...routes].sort();
}

/** The OpenAPI document and Swagger UI of the REST service, on the real app. */
describe('rest-service OpenAPI', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;
  const cleanups: Array<() => Promise<void>> = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const config = loadConfig({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD: 'admin-secret',
      LOG_LEVEL: 'warn',
    });
    app = await createRestService(config);
    await app.init();
    doc = (await http().get('/api/docs-json').expect(200)).body as OpenAPIObject;
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('serves a valid OpenAPI document without credentials', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.info).toMatchObject({ title: 'nestify', version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: PREFIX }]);
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['basic', 'token']);
  });

  it('documents every route the app serves, with its method', () => {
    const routes = servedRoutes(app);
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
