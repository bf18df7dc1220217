/** Tail of the queue of holders for each key; absent when nobody holds the key. */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` once every earlier holder of `key` in this process is done. Serialises start-up
 * work between Nest apps sharing one process — the only lock that works for the embedded
 * database, where every connection is the same PostgreSQL session (advisory locks do not block).
 */
export async function withProcessLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
