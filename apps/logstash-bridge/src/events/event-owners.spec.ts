import { matchOwner, ownerKey, StoredOwner } from './event-owners';

const stored = (tenantName: string, storageId: number): StoredOwner => ({
  kind: 'execution',
  id: 'ex',
  storageId,
  tenantId: storageId,
  tenantName,
  creatorId: 0,
  visibility: 'tenant',
});

describe('matchOwner', () => {
  const candidates = new Map([
    [ownerKey({ kind: 'execution', id: 'ex' }), [stored('t1', 1), stored('t2', 2)]],
  ]);

  it('matches the id in the tenant the message names, and nowhere else', () => {
    expect(
      matchOwner({ kind: 'execution', id: 'ex', tenantName: 't2' }, candidates)?.storageId,
    ).toBe(2);
    expect(
      matchOwner({ kind: 'execution', id: 'ex', tenantName: 't3' }, candidates),
    ).toBeUndefined();
    expect(
      matchOwner({ kind: 'execution_group', id: 'ex', tenantName: 't1' }, candidates),
    ).toBeUndefined();
  });

  it('needs the tenant when the id exists in several, and not when it is unique', () => {
    expect(
      matchOwner({ kind: 'execution', id: 'ex', tenantName: null }, candidates),
    ).toBeUndefined();
    const one = new Map([[ownerKey({ kind: 'execution', id: 'ex' }), [stored('t1', 1)]]]);
    expect(matchOwner({ kind: 'execution', id: 'ex', tenantName: null }, one)?.storageId).toBe(1);
  });
});
