export const API_PREFIX = 'api/v3.1';

const OLDER_PREFIX = /^\/api\/(v1|v2|v2\.1|v3)(?=\/|\?|$)/;

/**
 * Cloudify mounts every resource under each API version; the newest implementation serves all of
 * them. Older prefixes map to v3.1, and `/api/version` (unversioned, used by
 * `manager.get_version()`) to the v3.1 handler. Applied to the URL before routing.
 */
export function rewriteApiVersion(url: string): string {
  if (OLDER_PREFIX.test(url)) return url.replace(OLDER_PREFIX, `/${API_PREFIX}`);
  if (url === '/api/version' || url.startsWith('/api/version?')) {
    return url.replace('/api/version', `/${API_PREFIX}/version`);
  }
  return url;
}
