import { Worker } from 'node:worker_threads';

/**
 * The embedded PostgreSQL runs in a worker thread: PGlite executes queries synchronously in WASM,
 * so on the main thread every query would stall the app's event loop (HTTP, AMQP, timers). The
 * worker owns the PGlite instance and its socket server; apps reach it over TCP like any server.
 * (A worker also loads PGlite with Node's own module loader, which PGlite's dynamic imports need
 * when the app itself runs inside a sandbox such as Jest's.)
 *
 * Plain JavaScript evaluated in the worker; it gets resolved module paths through workerData so
 * it works from the TypeScript sources and from dist alike.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);
const describe = (error) => String((error && error.stack) || error);

async function main() {
  const db = await PGlite.create({ dataDir: workerData.dataDir });
  let server;
  try {
    server = new PGLiteSocketServer({
      db, host: '127.0.0.1', port: 0, maxConnections: workerData.maxConnections,
    });
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  parentPort.on('message', async (message) => {
    if (message !== 'stop') return;
    try {
      await server.stop();
      await db.close();
      parentPort.postMessage({ type: 'stopped' });
    } catch (error) {
      parentPort.postMessage({ type: 'error', message: describe(error) });
    }
    parentPort.close();
  });
  parentPort.postMessage({ type: 'ready', address: server.getServerConn() });
}

main().catch((error) => {
  parentPort.postMessage({ type: 'error', message: describe(error) });
  parentPort.close();
});
`;

type WorkerMessage =
  { type: 'ready'; address: string } | { type: 'stopped' } | { type: 'error'; message: string };

export interface PgliteServer {
  /** `host:port` of the socket server. */
  readonly address: string;
  /** Stops accepting connections, closes PGlite (flushing its files) and ends the worker. */
  stop(): Promise<void>;
}

/** Starts PGlite on `dataDir` in a worker thread, behind a socket server on 127.0.0.1. */
export async function startPgliteWorker(
  dataDir: string,
  maxConnections: number,
): Promise<PgliteServer> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dataDir,
      maxConnections,
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketPath: require.resolve('@electric-sql/pglite-socket'),
    },
  });
  const address = await nextReply(worker, 'ready');
  return {
    address,
    stop: async () => {
      const stopped = nextReply(worker, 'stopped');
      worker.postMessage('stop');
      try {
        await stopped;
      } finally {
        await worker.terminate();
      }
    },
  };
}

/** Waits for the worker's next reply of `type`; an error reply or an early exit rejects. */
function nextReply(worker: Worker, type: 'ready' | 'stopped'): Promise<string> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: WorkerMessage) => {
      if (message.type !== type && message.type !== 'error') return;
      cleanup();
      if (message.type === 'error') reject(new Error(`Embedded PostgreSQL: ${message.message}`));
      else resolve(message.type === 'ready' ? message.address : '');
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      if (type === 'stopped') resolve('');
      else
        reject(new Error(`Embedded PostgreSQL worker exited (code ${code}) before it was ready`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
