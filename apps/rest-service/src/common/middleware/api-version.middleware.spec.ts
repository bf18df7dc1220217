import type { Request, Response } from 'express';
import { apiVersionMiddleware } from './api-version.middleware';

function rewrite(url: string): string {
  const req = { url } as Request;
  apiVersionMiddleware(req, {} as Response, () => undefined);
  return req.url;
}

describe('apiVersionMiddleware', () => {
  it.each([
    ['/api/v1/blueprints', '/api/v3.1/blueprints'],
    ['/api/v2/status', '/api/v3.1/status'],
    ['/api/v2.1/ok', '/api/v3.1/ok'],
    ['/api/v3/deployments?id=a', '/api/v3.1/deployments?id=a'],
    ['/api/version', '/api/v3.1/version'],
    ['/api/version?x=1', '/api/v3.1/version?x=1'],
  ])('maps %s to %s', (from, to) => expect(rewrite(from)).toBe(to));

  it.each(['/api/v3.1/blueprints', '/api/v31/x', '/resources/a', '/api/v3.10/x'])(
    'leaves %s alone',
    (url) => expect(rewrite(url)).toBe(url),
  );
});
