import request from 'supertest';
import { Fixtures } from '../../model/fixtures';
import { basic, createTenant, createUser } from '../../support/rest-users';
import { RestTestApp, TEST_ADMIN_PASSWORD } from '../../support/rest-app';
import { endpointsOf, fillPath } from './openapi-walk';
import type { WalkContext } from './walk-context';

/** Every id made in tenant A starts with this, so any leak shows up as a substring. */
const MARK = 'isoA';
const ADMIN = basic('admin', TEST_ADMIN_PASSWORD);
const OUTSIDER = basic('bee', 'bee-pw');
/** Tenant B asks for everything, in its tenant and across all it may see. */
const QUERIES: Array<Record<string, string>> = [
  { _get_all_results: 'true' },
  { _all_tenants: 'true', _get_all_results: 'true' },
];

/**
 * Walks every list endpoint of the OpenAPI document as a manager of tenant B and checks that
 * nothing made in tenant A with private or tenant visibility comes back — with and without
 * `_all_tenants`, and with path parameters naming A's resources. The same walk as A's admin is
 * the control: it must see the marked items, or the check would prove nothing.
 */
export function describeTenantIsolation(context: () => WalkContext): void {
  describe('tenant isolation of every list endpoint', () => {
    const list = (auth: string, tenant: string, path: string, query: Record<string, string> = {}) =>
      request(context().rest.baseUrl)
        .get(`/api/v3.1${path}`)
        .set('Authorization', auth)
        .set('Tenant', tenant)
        .query(query);

    beforeAll(async () => {
      const { rest } = context();
      await createTenant(rest.dataSource, 'tenant-b');
      await createUser(rest.dataSource, 'bee', 'bee-pw', { 'tenant-b': 'manager' });
      await createTenantAResources(rest);
    });

    it('shows tenant B none of tenant A’s items on any list endpoint', async () => {
      // Every GET: documented lists and those whose answer turns out to be `{items: […]}`.
      const reads = endpointsOf(context().doc).filter((e) => e.method === 'GET');
      const seenByA: string[] = [];
      const leaks: string[] = [];
      let listsAnsweredToB = 0;
      for (const endpoint of reads) {
        const path = fillPath(
          endpoint.path,
          Object.fromEntries(
            endpoint.pathParams.map((p) => [p, p === 'resource' ? 'deployments' : MARK]),
          ),
        );
        const own = await list(ADMIN, 'default_tenant', path, { _get_all_results: 'true' });
        if (own.status === 200 && JSON.stringify(itemsOf(own.body)).includes(MARK))
          seenByA.push(endpoint.path);
        for (const query of QUERIES) {
          const other = await list(OUTSIDER, 'tenant-b', path, query);
          expect(other.status).toBeLessThan(500);
          if (other.status !== 200) continue;
          if (Array.isArray(other.body?.items)) listsAnsweredToB += 1;
          // An error may echo the id the URL named; a 200 must not show A's data anywhere.
          const shown = JSON.stringify(itemsOf(other.body));
          if (shown.includes(MARK))
            leaks.push(`${path} ${JSON.stringify(query)}: ${shown.slice(0, 300)}`);
        }
      }
      expect(leaks).toEqual([]);
      expect(listsAnsweredToB).toBeGreaterThan(30);
      // The control: tenant A's own lists do show the marked items.
      expect(seenByA).toEqual(
        expect.arrayContaining([
          '/blueprints',
          '/deployments',
          '/nodes',
          '/node-instances',
          '/executions',
          '/events',
          '/sites',
          '/secrets',
          '/plugins',
          '/agents',
          '/deployment-groups',
          '/execution-groups',
          '/filters/{resource}',
        ]),
      );
    });
  });
}

/** What a 200 shows: a list's items, else the whole body (text bodies as they are). */
function itemsOf(body: unknown): unknown {
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items : body;
}

/** Resources of every kind in tenant A (default_tenant), private or tenant-visible. */
async function createTenantAResources(rest: RestTestApp): Promise<void> {
  const f = new Fixtures(rest.dataSource.manager);
  await f.blueprint(undefined, MARK);
  const deployment = await f.deployment(undefined, MARK);
  const node = await f.node(deployment, MARK);
  await f.nodeInstance(node, `${MARK}_1`);
  const execution = await f.execution(deployment, undefined, `${MARK}-execution`);
  const graph = await f.tasksGraph(execution);
  await f.operation(graph);
  await f.event(execution);
  await f.log(execution);
  await f.plugin(undefined, MARK);
  await f.agent(undefined, MARK);
  await f.deploymentGroup(undefined, MARK);
  await f.executionGroup(undefined, `${MARK}-execution-group`);
  await f.site(undefined, MARK);
  const api = (method: 'put', path: string) =>
    request(rest.baseUrl)
      [method](`/api/v3.1${path}`)
      .set('Authorization', ADMIN)
      .set('Tenant', 'default_tenant');
  await api('put', `/secrets/${MARK}`).send({ value: 'v', visibility: 'private' }).expect(created);
  await api('put', `/sites/${MARK}-private-site`).send({ visibility: 'private' }).expect(created);
  await api('put', `/filters/deployments/${MARK}`)
    .send({ filter_rules: [{ key: 'env', values: ['prod'], operator: 'any_of', type: 'label' }] })
    .expect(created);
}

function created(response: request.Response): void {
  if (response.status >= 300) throw new Error(`${response.status}: ${response.text}`);
}
