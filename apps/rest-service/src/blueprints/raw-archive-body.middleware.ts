import type { NextFunction, Request, Response } from 'express';

/** PUT /blueprints/{id} (and /validate) after the API-version rewrite. */
const UPLOAD_ROUTE = /^\/api\/v3\.1\/blueprints\/[^/?]+(\/validate)?(\?|$)/;
/** POST /plugins: Cloudify's client streams the plugin package as the raw body. */
const PLUGIN_UPLOAD_ROUTE = /^\/api\/v3\.1\/plugins\/?(\?|$)/;

function isArchiveUpload(req: Request): boolean {
  return (
    (req.method === 'PUT' && UPLOAD_ROUTE.test(req.url)) ||
    (req.method === 'POST' && PLUGIN_UPLOAD_ROUTE.test(req.url))
  );
}

/** Where the content type a client declared is kept once we hide it from the body parsers. */
export const ORIGINAL_CONTENT_TYPE = 'x-nestify-original-content-type';

/**
 * Legacy blueprint uploads and plugin uploads send the archive as the raw body, and Cloudify's
 * Python client labels every request `application/json` — so the global JSON parser would choke
 * on tar bytes. For a non-multipart request on an upload route this marks the body as opaque
 * bytes before the parsers run; the controller then streams it to disk. Register with `app.use` before the app starts.
 */
export function rawArchiveBodyMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers['content-type'];
  if (isArchiveUpload(req) && !/^multipart\//i.test(type ?? '')) {
    if (type !== undefined) req.headers[ORIGINAL_CONTENT_TYPE] = type;
    req.headers['content-type'] = 'application/octet-stream';
  }
  next();
}
