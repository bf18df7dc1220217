import { loadConfig } from './nestify-config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8100);
    expect(config.adminPassword).toBe('admin');
    expect(config.dataDir).toMatch(/\.nestify$/);
    expect(config.database.url).toBeUndefined();
    expect(config.database.poolSize).toBe(1);
    expect(config.messaging.url).toBeUndefined();
    expect(config.messaging.prefetch).toBe(100);
    expect(config.auth).toEqual({ failedLoginsBeforeLock: 5, accountLockPeriodMs: 30 * 60_000 });
  });

  it('reads the account lock settings', () => {
    const config = loadConfig({ FAILED_LOGINS_BEFORE_LOCK: '3', ACCOUNT_LOCK_PERIOD_MINUTES: '0' });
    expect(config.auth).toEqual({ failedLoginsBeforeLock: 3, accountLockPeriodMs: 0 });
    expect(() => loadConfig({ FAILED_LOGINS_BEFORE_LOCK: '0' })).toThrow(
      /FAILED_LOGINS_BEFORE_LOCK/,
    );
  });

  it('reads real-server URLs and numeric settings', () => {
    const config = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nestify',
      DATABASE_POOL_SIZE: '5',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    });
    expect(config.port).toBe(9000);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/nestify');
    expect(config.database.poolSize).toBe(5);
    expect(config.messaging.url).toBe('amqp://guest:guest@127.0.0.1:5672');
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
    ).toThrow(/PORT=.*\n.*DATABASE_URL=.*\n.*LOG_LEVEL=/s);
  });
});
