import request from 'supertest';
import { startRestTestApp } from '../../support/rest-app';
import { describeFuzzing } from './fuzz.walk';
import { describeTenantIsolation } from './tenant-isolation.walk';
import type { WalkContext } from './walk-context';

/**
 * Walks of every endpoint of the OpenAPI document, on one service (one start-up for both): the
 * tenant-isolation walk first, on a clean manager, then the fuzzing, which leaves data behind.
 */
describe('REST service walked from its OpenAPI document', () => {
  let context: WalkContext | undefined;
  const current = (): WalkContext => {
    if (!context) throw new Error('the service did not start');
    return context;
  };

  beforeAll(async () => {
    // Token creation is fuzzed too; its rate limit would only turn those requests into 429s.
    const rest = await startRestTestApp({ env: { AUTH_RATE_LIMIT_TOKENS: '0' } });
    const doc = (await request(rest.baseUrl).get('/api/docs-json').expect(200)).body;
    context = { rest, doc };
  });

  afterAll(async () => {
    await context?.rest.close();
  });

  describeTenantIsolation(current);
  describeFuzzing(current);
});
