import { WriteBatcher } from './write-batcher';

describe('WriteBatcher', () => {
  it('writes in batches of at most maxItems, in order, and flush waits for all of them', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number>(async (items) => void batches.push(items), {
      delayMs: 1000,
      maxItems: 3,
    });
    batcher.add(1, 2);
    batcher.add(3, 4, 5, 6, 7);
    await batcher.flush();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((batch) => batch.length <= 3)).toBe(true);
    batcher.close();
  });

  it('keeps a failed batch at the head of the queue and writes it on the next flush', async () => {
    const written: number[] = [];
    let fail = true;
    const batcher = new WriteBatcher<number>(
      async (items) => {
        if (fail) throw new Error('database down');
        written.push(...items);
      },
      { delayMs: 1000, maxItems: 10 },
    );
    batcher.add(1, 2);
    await expect(batcher.flush()).rejects.toThrow('database down');
    expect(batcher.pending).toBe(2);
    fail = false;
    batcher.add(3);
    await batcher.flush();
    expect(written).toEqual([1, 2, 3]);
    batcher.close();
  });

  it('flushes by itself after delayMs', async () => {
    const written: number[] = [];
    const batcher = new WriteBatcher<number>(async (items) => void written.push(...items), {
      delayMs: 5,
      maxItems: 100,
    });
    batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toEqual([1]);
    batcher.close();
  });

  it('waits out transient failures within transientRetryMs; a flush then succeeds', async () => {
    const written: number[] = [];
    let failures = 3;
    const batcher = new WriteBatcher<number>(
      async (items) => {
        if (failures-- > 0) throw Object.assign(new Error('restarting'), { code: '57P03' });
        written.push(...items);
      },
      {
        delayMs: 1000,
        maxItems: 10,
        isTransient: (error) => (error as { code?: string }).code === '57P03',
        transientRetryMs: 5000,
      },
    );
    batcher.add(1, 2);
    await batcher.flush();
    expect(written).toEqual([1, 2]);
    batcher.close();
  });

  it('reports a transient failure that outlasts transientRetryMs, keeping the items', async () => {
    const batcher = new WriteBatcher<number>(
      async () => {
        throw new Error('still down');
      },
      { delayMs: 1000, maxItems: 10, isTransient: () => true, transientRetryMs: 150 },
    );
    batcher.add(1);
    await expect(batcher.flush()).rejects.toThrow('still down');
    expect(batcher.pending).toBe(1);
    batcher.close();
  });

  it('settled() waits for what was added before it, written on the normal schedule', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number>(async (items) => void batches.push(items), {
      delayMs: 20,
      maxItems: 100,
    });
    batcher.add(1, 2);
    const settled = batcher.settled();
    batcher.add(3);
    await settled;
    // One batch after delayMs (not an early flush of [1, 2]), holding what came after too.
    expect(batches).toEqual([[1, 2, 3]]);
    await expect(batcher.settled()).resolves.toBeUndefined();
    batcher.close();
  });
});
