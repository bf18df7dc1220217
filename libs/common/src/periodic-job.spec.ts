import { PeriodicJob } from './periodic-job';

describe('PeriodicJob', () => {
  it('runs at once and then on its interval, reports failures, and stops', async () => {
    const errors: string[] = [];
    let runs = 0;
    const job = new PeriodicJob(
      async () => {
        runs += 1;
        if (runs === 2) throw new Error('boom');
      },
      (error) => errors.push(error.message),
    );
    job.start(10);
    expect(runs).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 35));
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual(['boom']);
    await job.stop();
    expect(job.stopped).toBe(true);
    const runsAtStop = runs;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toBe(runsAtStop);
  });

  it('stop() waits for the run in progress', async () => {
    let finish: () => void = () => undefined;
    const job = new PeriodicJob(
      () => new Promise<void>((resolve) => (finish = resolve)),
      () => undefined,
    );
    job.start(60_000);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });
});
