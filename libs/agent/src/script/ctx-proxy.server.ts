import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { walkCtx } from './ctx-walker';
import { StopOperation } from './script-outcome';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** What the proxy answers (workflows.md §6). */
type ProxyResponse =
  | { type: 'result'; payload: unknown }
  | { type: 'stop_operation'; payload: { message: string } }
  | { type: 'error'; payload: { type: string; message: string; traceback: string } };

/**
 * The HTTP end of `ctx` for one operation: listens on 127.0.0.1 on a free port, under a random
 * path so other local processes cannot guess it, and walks each request's `args` over `root`.
 */
export class CtxProxyServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(root: unknown): Promise<CtxProxyServer> {
    const path = `/${randomBytes(16).toString('hex')}`;
    const server = createServer((request, response) => {
      void handle(root, path, request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new CtxProxyServer(server, `http://127.0.0.1:${port}${path}`);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(
  root: unknown,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST' || request.url !== path) {
    response.writeHead(404).end();
    return;
  }
  let answer: ProxyResponse;
  try {
    const body = JSON.parse(await readBody(request)) as { args?: unknown };
    if (!Array.isArray(body.args)) throw new TypeError('the request needs an args list');
    const result = await walkCtx(root, body.args);
    answer =
      result instanceof StopOperation
        ? { type: 'stop_operation', payload: { message: result.message } }
        : { type: 'result', payload: result ?? null };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    answer = {
      type: 'error',
      payload: { type: e.name, message: e.message, traceback: e.stack ?? '' },
    };
  }
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new RangeError('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
