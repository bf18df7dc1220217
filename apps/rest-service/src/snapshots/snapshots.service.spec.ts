import { IllegalActionError } from '@nestify/common';
import { loadConfig } from '@nestify/config';
import { IdentityChanges } from '../common/identity/identity-changes';
import type { ExecutionsService } from '../executions/executions.service';
import type { SnapshotsRepository } from './snapshots.repository';
import { SnapshotCaller, SnapshotsService } from './snapshots.service';

const caller: SnapshotCaller = {
  tenantId: 0,
  tenantName: 'default_tenant',
  userId: 0,
  isAdmin: true,
  username: 'admin',
};

/** A repository that fails the test if the service touches storage at all. */
function untouchable(): SnapshotsRepository {
  return new Proxy({} as SnapshotsRepository, {
    get: (_target, name) => () => {
      throw new Error(`repository.${String(name)} called`);
    },
  });
}

describe('SnapshotsService on the embedded database', () => {
  // No DATABASE_URL: the embedded PGlite, which pg_dump cannot reach.
  const service = new SnapshotsService(
    untouchable(),
    {} as ExecutionsService,
    new IdentityChanges(),
    loadConfig({ NESTIFY_DATA_DIR: '/nonexistent' }),
  );

  it.each([
    ['create', () => service.create('backup-1', {}, caller)],
    ['restore', () => service.restore('backup-1', {}, caller)],
  ])('refuses %s with a clear error, before recording anything', async (_name, call) => {
    const refusal = call();
    await expect(refusal).rejects.toBeInstanceOf(IllegalActionError);
    await expect(refusal).rejects.toThrow(/need a PostgreSQL server: set DATABASE_URL/);
  });

  it('is not running anything', () => {
    expect(service.status()).toEqual({ status: 'not-running' });
  });
});
