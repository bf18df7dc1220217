import { BatchLoader } from './batch-loader';

/** A read that records each batch and resolves when the test says so. */
function controlledRead() {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  const read = (keys: string[]) => {
    batches.push(keys);
    return new Promise<Array<string | undefined>>((resolve) => {
      pending.push(() =>
        resolve(keys.map((key) => (key.startsWith('x') ? undefined : `v:${key}`))),
      );
    });
  };
  const releaseAll = () => pending.splice(0).forEach((release) => release());
  return { batches, read, releaseAll };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchLoader', () => {
  it('reads the keys asked for in one turn together, once per identity', async () => {
    const { batches, read, releaseAll } = controlledRead();
    const loader = new BatchLoader(read, (key: string) => key);
    const answers = Promise.all(['a', 'b', 'a', 'x1'].map((key) => loader.load(key)));
    await tick();
    releaseAll();
    expect(await answers).toEqual(['v:a', 'v:b', 'v:a', undefined]);
    expect(batches).toEqual([['a', 'b', 'x1']]);
  });

  it('never answers a key from a batch sent before it was asked for', async () => {
    const { batches, read, releaseAll } = controlledRead();
    const loader = new BatchLoader(read, (key: string) => key, { maxInFlight: 1 });
    const first = loader.load('a');
    await tick(); // batch ['a'] is out
    const second = loader.load('a'); // same key, asked while that batch is in flight
    const third = loader.load('b');
    await tick();
    expect(batches).toEqual([['a']]); // waits: one batch in flight at most
    releaseAll();
    expect(await first).toBe('v:a');
    await tick();
    await tick();
    expect(batches).toEqual([['a'], ['a', 'b']]);
    releaseAll();
    expect(await Promise.all([second, third])).toEqual(['v:a', 'v:b']);
  });

  it('keeps batches within maxBatch and sends up to maxInFlight at once', async () => {
    const { batches, read, releaseAll } = controlledRead();
    const loader = new BatchLoader(read, (key: string) => key, { maxBatch: 2, maxInFlight: 2 });
    const answers = Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => loader.load(key)));
    await tick();
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    releaseAll();
    await tick();
    await tick();
    expect(batches[2]).toEqual(['e']);
    releaseAll();
    expect(await answers).toEqual(['v:a', 'v:b', 'v:c', 'v:d', 'v:e']);
  });

  it('rejects every waiter of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const loader = new BatchLoader(
      async (keys: string[]) => {
        calls += 1;
        if (calls === 1) throw new Error('database gone');
        return keys.map((key) => `v:${key}`);
      },
      (key: string) => key,
    );
    const failed = [loader.load('a'), loader.load('b')];
    await expect(failed[0]).rejects.toThrow('database gone');
    await expect(failed[1]).rejects.toThrow('database gone');
    await expect(loader.load('a')).resolves.toBe('v:a');
  });
});
