import type { NextFunction, Request, Response } from 'express';

export const API_PREFIX = 'api/v3.1';

const OLDER_PREFIX = /^\/api\/(v1|v2|v2\.1|v3)(?=\/|$)/;

/**
 * Cloudify mounts every resource under each API version; the newest implementation serves all of
 * them. Older prefixes are rewritten to v3.1 before routing, and `/api/version` (unversioned, used
 * by `manager.get_version()`) is served by the v3.1 handler.
 */
export function apiVersionMiddleware(req: Request, _res: Response, next: NextFunction): void {
  if (OLDER_PREFIX.test(req.url)) {
    req.url = req.url.replace(OLDER_PREFIX, `/${API_PREFIX}`);
  } else if (req.url === '/api/version' || req.url.startsWith('/api/version?')) {
    req.url = req.url.replace('/api/version', `/${API_PREFIX}/version`);
  }
  next();
}
