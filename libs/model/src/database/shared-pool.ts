import pg from 'pg';

interface SharedEntry {
  pool: pg.Pool;
  users: number;
}

const pools = new Map<string, SharedEntry>();

/**
 * Hands every caller in this process the same pg pool for one connection string; the pool ends
 * when its last user ends it. For the embedded database: PGlite's socket server interleaves the
 * protocol messages of concurrent connections, so two apps of one process (each with a pool of
 * one) could mix their extended-protocol statements ("unnamed prepared statement does not
 * exist"). Through one shared connection their queries simply take turns.
 */
function sharedPool(options: pg.PoolConfig): pg.Pool {
  const key = options.connectionString ?? JSON.stringify(options);
  let entry = pools.get(key);
  if (!entry) {
    entry = { pool: new pg.Pool(options), users: 0 };
    pools.set(key, entry);
  }
  const shared = entry;
  shared.users += 1;
  let ended = false;
  const end = (callback?: (error?: Error) => void): Promise<void> => {
    if (ended) {
      callback?.();
      return Promise.resolve();
    }
    ended = true;
    shared.users -= 1;
    if (shared.users > 0) {
      callback?.();
      return Promise.resolve();
    }
    pools.delete(key);
    return shared.pool.end().then(
      () => callback?.(),
      (error: Error) => {
        if (callback) callback(error);
        else throw error;
      },
    );
  };
  return new Proxy(shared.pool, {
    get(target, property, receiver) {
      if (property === 'end') return end;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A stand-in for the `pg` module (TypeORM's `driver` option) whose Pool is shared. */
export const SHARED_POOL_PG = {
  ...pg,
  Pool: function SharedPool(options: pg.PoolConfig) {
    return sharedPool(options);
  },
};
