import { rewriteApiVersion } from './api-version';

describe('rewriteApiVersion', () => {
  it.each([
    ['/api/v1/blueprints', '/api/v3.1/blueprints'],
    ['/api/v2/status', '/api/v3.1/status'],
    ['/api/v2.1/ok', '/api/v3.1/ok'],
    ['/api/v3/deployments?id=a', '/api/v3.1/deployments?id=a'],
    ['/api/v3?x=1', '/api/v3.1?x=1'],
    ['/api/version', '/api/v3.1/version'],
    ['/api/version?x=1', '/api/v3.1/version?x=1'],
  ])('maps %s to %s', (from, to) => expect(rewriteApiVersion(from)).toBe(to));

  it.each(['/api/v3.1/blueprints', '/api/v31/x', '/resources/a', '/api/v3.10/x', '/api/versions'])(
    'leaves %s alone',
    (url) => expect(rewriteApiVersion(url)).toBe(url),
  );
});
