import { MetricBatch } from './metric-batch';

describe('MetricBatch', () => {
  it('writes full batches at once and the rest after the latency, acking after the write', async () => {
    const writes: number[][] = [];
    const batch = new MetricBatch<number>(async (values) => void writes.push(values), 2, 20);
    const added = [1, 2, 3].map((value) => batch.add(value));
    await Promise.all(added);
    expect(writes).toEqual([[1, 2], [3]]);
  });

  it('rejects every value of a failed write', async () => {
    const batch = new MetricBatch<number>(() => Promise.reject(new Error('db down')), 10, 1);
    await expect(batch.add(1)).rejects.toThrow('db down');
  });
});
