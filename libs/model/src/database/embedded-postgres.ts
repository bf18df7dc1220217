import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoggerLike } from '@nestify/common';
import { lockDataDir } from './data-dir-lock';
import { startPgliteWorker } from './pglite-worker';

/** A reference to the running embedded server; release it once its connections are closed. */
export interface EmbeddedPostgresLease {
  readonly url: string;
  release(): Promise<void>;
}

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

interface Entry {
  refs: number;
  server: Promise<RunningServer>;
}

/** Connections the socket server accepts; each app's pool holds one (see openDatabase). */
const MAX_CONNECTIONS = 16;

const entries = new Map<string, Entry>();
/** Servers being stopped, so a new start on the same directory waits for the files to be closed. */
const stopping = new Map<string, Promise<void>>();

/**
 * Starts PGlite on `dataDir` behind a local PostgreSQL socket, or shares the one already running
 * in this process: several Nest apps may live in one process, but one data directory must have
 * one PGlite. The last release stops it.
 */
export async function acquireEmbeddedPostgres(
  dataDir: string,
  logger: LoggerLike,
): Promise<EmbeddedPostgresLease> {
  const key = resolve(dataDir);
  let entry = entries.get(key);
  if (!entry) {
    const created: Entry = { refs: 0, server: startAfterStop(key, logger) };
    entries.set(key, created);
    entry = created;
  }
  entry.refs += 1;
  const current = entry;
  let server: RunningServer;
  try {
    server = await current.server;
  } catch (error) {
    await releaseEntry(key, current);
    throw error;
  }
  let released = false;
  return {
    url: server.url,
    release: async () => {
      if (released) return;
      released = true;
      await releaseEntry(key, current);
    },
  };
}

async function releaseEntry(key: string, entry: Entry): Promise<void> {
  entry.refs -= 1;
  if (entry.refs > 0) return;
  if (entries.get(key) === entry) entries.delete(key);
  const stopped = entry.server.then(
    (server) => server.stop(),
    () => undefined,
  );
  stopping.set(key, stopped);
  try {
    await stopped;
  } finally {
    if (stopping.get(key) === stopped) stopping.delete(key);
  }
}

async function startAfterStop(dataDir: string, logger: LoggerLike): Promise<RunningServer> {
  await stopping.get(dataDir);
  return startServer(dataDir, logger);
}

async function startServer(dataDir: string, logger: LoggerLike): Promise<RunningServer> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  try {
    const server = await startPgliteWorker(dataDir, MAX_CONNECTIONS);
    const url = `postgres://postgres@${server.address}/postgres`;
    logger.log(`Embedded PostgreSQL (PGlite) on ${dataDir} listening at ${url}`);
    return {
      url,
      stop: async () => {
        try {
          await server.stop();
          logger.log(`Embedded PostgreSQL on ${dataDir} stopped`);
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
