import { Batcher } from './batcher';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Batcher', () => {
  it('flushes as soon as a batch is full, never splitting an entry, in arrival order', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string>(
      async (entries) => {
        batches.push(entries);
        return true;
      },
      { maxRows: 5, maxLatencyMs: 60_000 },
    );
    batcher.add('a', 2);
    batcher.add('b', 2);
    expect(batches).toEqual([]);
    batcher.add('c', 2);
    await tick();
    // a+b+c = 6 rows ≥ 5: flushed at once, but c would overflow the batch, so it waits.
    expect(batches).toEqual([['a', 'b']]);
    batcher.add('d', 9);
    await tick();
    expect(batches).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('flushes a partial batch once its oldest entry waited the maximum latency', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string>(
      async (entries) => {
        batches.push(entries);
        return true;
      },
      { maxRows: 500, maxLatencyMs: 30 },
    );
    batcher.add('a', 1);
    await tick(10);
    batcher.add('b', 1);
    expect(batches).toEqual([]);
    await tick(40);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('backs off exponentially after failures, telling the flush how long, and resets on success', async () => {
    const delays: number[] = [];
    const results = [false, false, true, false];
    const batcher = new Batcher<string>(
      async (_entries, retryDelayMs) => {
        delays.push(retryDelayMs);
        return results.shift() ?? true;
      },
      { maxRows: 1, maxLatencyMs: 1, initialBackoffMs: 5, maxBackoffMs: 8 },
    );
    for (const entry of ['a', 'b', 'c', 'd']) batcher.add(entry, 1);
    await batcher.drain();
    expect(delays).toEqual([5, 8, 8, 5]);
  });

  it('drains everything waiting, even during a back-off', async () => {
    const flushed: string[] = [];
    let fail = true;
    const batcher = new Batcher<string>(
      async (entries) => {
        if (fail) {
          fail = false;
          return false;
        }
        flushed.push(...entries);
        return true;
      },
      { maxRows: 1, maxLatencyMs: 1, initialBackoffMs: 60_000 },
    );
    batcher.add('a', 1);
    await tick(5);
    batcher.add('b', 1);
    await batcher.drain();
    expect(flushed).toEqual(['b']);
    expect(batcher.size).toBe(0);
  });
});
