import { withProcessLock } from './process-lock';

describe('withProcessLock', () => {
  it('runs holders of one key one after another, in arrival order', async () => {
    const trace: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));

    const first = withProcessLock('k', async () => {
      trace.push('first in');
      await firstHeld;
      trace.push('first out');
    });
    const second = withProcessLock('k', async () => {
      trace.push('second');
      return 2;
    });
    await Promise.resolve();
    expect(trace).toEqual(['first in']);
    releaseFirst();
    await expect(second).resolves.toBe(2);
    await first;
    expect(trace).toEqual(['first in', 'first out', 'second']);
  });

  it('does not make different keys wait for each other', async () => {
    let release: () => void = () => undefined;
    const held = withProcessLock('a', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(withProcessLock('b', async () => 'b')).resolves.toBe('b');
    release();
    await held;
  });

  it('releases the key when the holder throws', async () => {
    await expect(
      withProcessLock('c', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(withProcessLock('c', async () => 'next')).resolves.toBe('next');
  });
});
