import { ManagerError } from './errors';
import { errorOf, HttpTransport } from './http';
import { routePath } from './routes';

describe('HttpTransport', () => {
  it('sends Basic credentials or a token, and the tenant', () => {
    const basic = new HttpTransport({
      url: 'http://m:8100/',
      credentials: { username: 'admin', password: 'p:w' },
      tenant: 't1',
    });
    expect(basic.headers()).toEqual({
      Tenant: 't1',
      Authorization: `Basic ${Buffer.from('admin:p:w').toString('base64')}`,
    });
    const token = new HttpTransport({ url: 'http://m:8100', credentials: { token: 'ctok-x' } });
    expect(token.headers()).toEqual({ Tenant: 'default_tenant', 'Authentication-Token': 'ctok-x' });
  });

  it('builds URLs under /api/v3.1 with encoded ids and repeated query values', () => {
    const http = new HttpTransport({ url: 'http://m:8100/' });
    expect(
      http.url('eventsList', { query: { type: ['cloudify_event', 'cloudify_log'], _size: 5 } }),
    ).toBe('http://m:8100/api/v3.1/events?type=cloudify_event&type=cloudify_log&_size=5');
    expect(routePath('blueprintsGet', { id: 'a b/c' })).toBe('/blueprints/a%20b%2Fc');
    expect(() => routePath('blueprintsGet')).toThrow('route blueprintsGet needs id');
  });
});

describe('errorOf', () => {
  it("reads Cloudify's error body", () => {
    const error = errorOf(404, JSON.stringify({ message: 'gone', error_code: 'not_found_error' }));
    expect(error).toBeInstanceOf(ManagerError);
    expect(error).toMatchObject({ message: 'gone', errorCode: 'not_found_error', status: 404 });
  });

  it('falls back to the status for other bodies', () => {
    expect(errorOf(502, '<html>bad gateway</html>')).toMatchObject({
      message: '<html>bad gateway</html>',
      errorCode: 'http_502',
    });
    expect(errorOf(500, '')).toMatchObject({ message: 'HTTP 500', errorCode: 'http_500' });
  });
});
