import fc from 'fast-check';
import request from 'supertest';
import { Fixtures } from '../../model/fixtures';
import { basic } from '../../support/rest-users';
import { TEST_ADMIN_PASSWORD } from '../../support/rest-app';
import { arbitraryOf, bodyArbitrary, Endpoint, endpointsOf, fillPath } from './openapi-walk';
import type { WalkContext } from './walk-context';

/**
 * Generated inputs per endpoint: small, so the suite stays well under a minute. FUZZ_SCALE
 * multiplies them for a deeper run by hand, FUZZ_SEED explores other inputs.
 */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const BODY_RUNS = 10 * SCALE;
const QUERY_RUNS = 10 * SCALE;
/** Fixed, so a failure reproduces. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/**
 * Operations left out: they change the manager as a whole (maintenance mode, snapshot restore)
 * rather than answer a request, so random calls would derail the run.
 */
const SKIPPED = [/^\/maintenance/, /^\/snapshots/];

/** Ids that exist, so generated requests get past "not found" into the handlers. */
const KNOWN_IDS = ['fz-bp', 'fz-dep', 'fz-site', 'fz-node', 'default_tenant'];

/** Filter values that trip naive parsing: numbers out of range, NaN, null words, odd text. */
const ODD_VALUES = [
  'abc',
  'None',
  'null',
  '-1',
  '1e999',
  'NaN',
  '9'.repeat(30),
  "'",
  '%',
  'true',
  '',
];

interface Failure {
  method: string;
  path: string;
  input: unknown;
  status: number;
  body: string;
}

/**
 * Every JSON body and every read's query (lists included) of the OpenAPI document, filled from its schemas plus
 * garbage, sent as sys_admin over real HTTP: the service may refuse, never fail (no 5xx).
 */
export function describeFuzzing(context: () => WalkContext): void {
  describe('fuzzing from the OpenAPI document', () => {
    let endpoints: Endpoint[];

    const send = (method: string, path: string) =>
      request(context().rest.baseUrl)
        [method.toLowerCase() as 'get']('/api/v3.1' + path)
        .set('Authorization', basic('admin', TEST_ADMIN_PASSWORD))
        .set('Tenant', 'default_tenant')
        .timeout(15000);

    const pathValues = (endpoint: Endpoint) =>
      fc.record(
        Object.fromEntries(
          endpoint.pathParams.map((name) => [
            name,
            fc.oneof(fc.constantFrom(...KNOWN_IDS), fc.string({ minLength: 1, maxLength: 10 })),
          ]),
        ),
      );

    beforeAll(async () => {
      const f = new Fixtures(context().rest.dataSource.manager);
      await f.blueprint(undefined, 'fz-bp');
      const deployment = await f.deployment(undefined, 'fz-dep');
      await f.node(deployment, 'fz-node');
      await f.site(undefined, 'fz-site');
      endpoints = endpointsOf(context().doc).filter(
        (e) => !SKIPPED.some((skip) => skip.test(e.path)),
      );
    });

    it('answers every generated JSON body without a 5xx', async () => {
      const withBodies = endpoints.filter((e) => e.jsonBody && e.method !== 'DELETE');
      expect(withBodies.length).toBeGreaterThan(20);
      const failures: Failure[] = [];
      for (const [index, endpoint] of withBodies.entries()) {
        const inputs = fc.sample(
          fc.tuple(pathValues(endpoint), bodyArbitrary(endpoint.jsonBody ?? {}, context().doc)),
          { numRuns: BODY_RUNS, seed: SEED + index },
        );
        for (const [params, body] of inputs) {
          const path = fillPath(endpoint.path, params);
          const response = await send(endpoint.method, path)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          if (response.status >= 500) {
            failures.push({
              method: endpoint.method,
              path,
              input: body,
              status: response.status,
              body: response.text,
            });
          }
        }
      }
      expect(failures).toEqual([]);
    });

    it('answers every generated query of a read without a 5xx', async () => {
      // Every GET: some lists are not documented as such (no `_size`), so all reads get queries.
      const lists = endpoints.filter((e) => e.method === 'GET');
      expect(lists.filter((e) => e.isList).length).toBeGreaterThan(15);
      const failures: Failure[] = [];
      for (const [index, endpoint] of lists.entries()) {
        const documented = Object.fromEntries(
          endpoint.queryParams.map((p) => [
            p.name,
            fc.oneof(arbitraryOf(p.schema, context().doc), fc.string({ maxLength: 8 })),
          ]),
        );
        // Equality filters on the items' fields, with values of the wrong kind among them.
        const filterKeys = endpoint.itemFields.length
          ? fc.constantFrom(...endpoint.itemFields)
          : fc.string({ minLength: 1, maxLength: 8 });
        const filterValue = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...ODD_VALUES));
        const filters = fc.dictionary(filterKeys, filterValue, { minKeys: 1, maxKeys: 2 });
        // Sorting by each real field (ascending or descending), with or without filters.
        const sorts = endpoint.itemFields.length
          ? fc.record({
              _sort: fc.constantFrom(...endpoint.itemFields.flatMap((f) => [f, `-${f}`])),
            })
          : fc.constant({});
        // Alone, filters reach the SQL; beside bad paging or sorting they would stop at a 400.
        const query = fc.oneof(
          fc.tuple(fc.constant({}), filters),
          fc.tuple(sorts, fc.oneof(fc.constant({}), filters)),
          fc.tuple(fc.record(documented, { requiredKeys: [] }), filters),
        );
        const inputs = fc.sample(fc.tuple(pathValues(endpoint), query), {
          numRuns: QUERY_RUNS,
          seed: SEED + index,
        });
        for (const [params, [known, extra]] of inputs) {
          const path = fillPath(endpoint.path, params);
          const response = await send('GET', path).query(toQuery({ ...known, ...extra }));
          if (response.status >= 500) {
            failures.push({
              method: 'GET',
              path,
              input: { ...known, ...extra },
              status: response.status,
              body: response.text,
            });
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
}

/** Query values as strings (arrays repeat the key), as a client would send them. */
function toQuery(values: Record<string, unknown>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    query[key] = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  return query;
}
