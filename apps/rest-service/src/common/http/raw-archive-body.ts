import type { IncomingMessage } from 'node:http';

/** PUT /blueprints/{id} (and /validate), after the API-version rewrite. */
const BLUEPRINT_UPLOAD_ROUTE = /^\/api\/v3\.1\/blueprints\/[^/?]+(\/validate)?\/?(\?|$)/i;
/** POST /plugins: Cloudify's client streams the plugin package as the raw body. */
const PLUGIN_UPLOAD_ROUTE = /^\/api\/v3\.1\/plugins\/?(\?|$)/i;
/** PUT /snapshots/{id}/archive: a snapshot archive, streamed the same way. */
const SNAPSHOT_UPLOAD_ROUTE = /^\/api\/v3\.1\/snapshots\/[^/?]+\/archive\/?(\?|$)/i;

/** The content type under which a body is left unread for its controller to stream. */
export const RAW_BODY_TYPE = 'application/octet-stream';

function isArchiveUpload(method: string | undefined, url: string): boolean {
  return (
    (method === 'PUT' && BLUEPRINT_UPLOAD_ROUTE.test(url)) ||
    (method === 'PUT' && SNAPSHOT_UPLOAD_ROUTE.test(url)) ||
    (method === 'POST' && PLUGIN_UPLOAD_ROUTE.test(url))
  );
}

/**
 * Legacy blueprint uploads and plugin uploads send the archive as the raw body, and Cloudify's
 * Python client labels every request `application/json` — so the JSON parser would choke on tar
 * bytes (or refuse them as too large). For a non-multipart request on an upload route this
 * relabels the body as opaque bytes before parsing; that parser leaves the stream to the
 * controller, which writes it to disk under its own size limit.
 */
export function relabelRawArchiveBody(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (isArchiveUpload(req.method, req.url ?? '') && !/^multipart\//i.test(type ?? '')) {
    req.headers['content-type'] = RAW_BODY_TYPE;
  }
}
