import { execFile } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';

/** What one autocannon run measured (the parts the report keeps). */
export interface LoadResult {
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
}

// autocannon runs in a child process so the load generator does not share the event loop (or
// the CPU core) of the server under test, which runs in the bench process. (Not a worker thread:
// autocannon takes itself for one of its own workers there.)
const RUNNER = `
const autocannon = require('autocannon');
autocannon(JSON.parse(process.argv[1])).then(
  (r) => process.stdout.write(JSON.stringify({
    requests_per_s: r.requests.average,
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  })),
  (e) => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); },
);`;

/** Runs autocannon (bounded by `duration`) against a loopback URL from a child process. */
export function load(options: LoadOptions): Promise<LoadResult> {
  const { hostname } = new URL(options.url);
  if (hostname !== '127.0.0.1') throw new Error(`refusing to load ${hostname}: loopback only`);
  return new Promise((resolve, reject) => {
    const args = { ...options, headers: options.headers ?? {} };
    execFile(
      process.execPath,
      ['-e', RUNNER, JSON.stringify(args)],
      { timeout: (options.duration + 30) * 1000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`autocannon: ${error.message} ${stderr}`));
        else resolve(JSON.parse(stdout) as LoadResult);
      },
    );
  });
}

/** A server under test, listening on 127.0.0.1. */
export interface BareServer {
  url: string;
  close(): Promise<void>;
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** node:http answering every GET with `JSON.stringify(body)` (serialised per request). */
export async function bareNodeHttp(body: unknown): Promise<BareServer> {
  const server = createServer((_req, res) => {
    const text = JSON.stringify(body);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  });
  await listen(server);
  return { url: urlOf(server), close: () => closeServer(server) };
}

/** A bare Express 5 app (the version @nestjs/platform-express uses) with one `res.json` route. */
export async function bareExpress(body: unknown): Promise<BareServer> {
  const app = express();
  app.get('/data', (_req, res) => {
    res.json(body);
  });
  const server = createServer(app);
  await listen(server);
  return { url: `${urlOf(server)}/data`, close: () => closeServer(server) };
}

/** A bare Fastify 5 app with one route sending the object (no response schema). */
export async function bareFastify(body: unknown): Promise<BareServer> {
  const app = Fastify({ logger: false });
  app.get('/data', async () => body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${urlOf(app.server)}/data`, close: () => app.close() };
}
