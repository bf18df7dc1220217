import { ManagerError, ManagerUnreachableError, NestifyClient, ROUTES } from '@nestify/client';
import { freePort } from '../support/processes';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

jest.setTimeout(120_000);

interface OpenApiDocument {
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, unknown>>;
}

/** The TypeScript REST client (libs/client) against the REST service's own OpenAPI document. */
describe('@nestify/client', () => {
  let rest: RestTestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    rest = await startRestTestApp();
    doc = (await (await fetch(`${rest.baseUrl}/api/docs-json`)).json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('calls only routes (method and path template) the OpenAPI document declares', () => {
    expect(doc.servers).toEqual([{ url: '/api/v3.1' }]);
    const missing = Object.entries(ROUTES)
      .filter(([, [method, path]]) => !doc.paths[path]?.[method.toLowerCase()])
      .map(([name, [method, path]]) => `${name}: ${method} ${path}`);
    expect(missing).toEqual([]);
  });

  it('sends credentials and tenant, and turns error bodies into ManagerError', async () => {
    const client = new NestifyClient({
      url: rest.baseUrl,
      credentials: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    await expect(client.users.current()).resolves.toMatchObject({ username: 'admin' });
    const page = await client.blueprints.list({ _size: 5 });
    expect(page.metadata.pagination).toEqual({ total: 0, size: 5, offset: 0 });
    const { value } = await client.tokens.create({ description: 'sdk test' });
    const byToken = new NestifyClient({ url: rest.baseUrl, credentials: { token: value } });
    await expect(byToken.users.current()).resolves.toMatchObject({ username: 'admin' });

    const missing = await client.deployments.get('nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ManagerError);
    expect(missing).toMatchObject({ status: 404, errorCode: 'not_found_error' });
    const wrongTenant = new NestifyClient({
      url: rest.baseUrl,
      credentials: { username: 'admin', password: TEST_ADMIN_PASSWORD },
      tenant: 'no_such_tenant',
    });
    await expect(wrongTenant.blueprints.list()).rejects.toMatchObject({
      status: 403,
      errorCode: 'forbidden_error',
    });
  });

  it('reports a manager that does not answer as ManagerUnreachableError', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const error = await new NestifyClient({ url }).status().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagerUnreachableError);
    expect((error as Error).message).toBe(`cannot reach the manager at ${url}: connection refused`);
  });
});
