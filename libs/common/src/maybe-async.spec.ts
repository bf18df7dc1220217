import { thenOrNow } from './maybe-async';

describe('thenOrNow', () => {
  it('applies the step at once to a value that is there', () => {
    expect(thenOrNow(2, (n) => n * 3)).toBe(6);
  });

  it('applies the step when a promised value arrives, and passes rejections on', async () => {
    const later = thenOrNow(Promise.resolve(2), (n) => n * 3);
    expect(later).toBeInstanceOf(Promise);
    await expect(later).resolves.toBe(6);
    await expect(thenOrNow(Promise.reject(new Error('gone')), (n: number) => n)).rejects.toThrow(
      'gone',
    );
  });
});
