import { Visibility } from '@nestify/common';
import {
  applyRenames,
  assignIndexes,
  findInstanceRenames,
  newInstanceRow,
  randomInstanceSuffix,
} from './new-instances';

describe('randomInstanceSuffix', () => {
  it('is six lower-case letters or digits', () => {
    for (let i = 0; i < 50; i += 1) expect(randomInstanceSuffix()).toMatch(/^[a-z0-9]{6}$/);
  });
});

describe('findInstanceRenames', () => {
  const suffixes =
    (...values: string[]) =>
    () =>
      values.shift() ?? 'zzzzzz';

  it('renames nothing when no id is taken, in one lookup', async () => {
    const taken = jest.fn().mockResolvedValue(new Set());
    const renames = await findInstanceRenames([{ id: 'vm_a', node_id: 'vm' }], taken);
    expect(renames.size).toBe(0);
    expect(taken).toHaveBeenCalledTimes(1);
  });

  it('renames taken ids to <node>_<new6>, checking the new ids again', async () => {
    const db = new Set(['my_vm_aaaaaa', 'my_vm_bbbbbb']);
    const taken = jest.fn(async (ids: string[]) => new Set(ids.filter((id) => db.has(id))));
    const renames = await findInstanceRenames(
      [
        { id: 'my_vm_aaaaaa', node_id: 'my_vm' },
        { id: 'my_vm_cccccc', node_id: 'my_vm' },
      ],
      taken,
      suffixes('bbbbbb', 'dddddd'),
    );
    // the first new id is taken too, so it is renamed again
    expect([...renames]).toEqual([['my_vm_aaaaaa', 'my_vm_dddddd']]);
    expect(taken).toHaveBeenCalledTimes(3);
  });

  it('never picks an id another instance of the request has', async () => {
    const renames = await findInstanceRenames(
      [
        { id: 'vm_aaaaaa', node_id: 'vm' },
        { id: 'vm_bbbbbb', node_id: 'vm' },
      ],
      async (ids) => new Set(ids.filter((id) => id === 'vm_aaaaaa')),
      suffixes('bbbbbb', 'cccccc'),
    );
    expect(renames.get('vm_aaaaaa')).toBe('vm_cccccc');
  });

  it('gives up with a conflict when every new id is taken', async () => {
    await expect(
      findInstanceRenames([{ id: 'vm_a', node_id: 'vm' }], async (ids) => new Set(ids)),
    ).rejects.toThrow(/Could not find unique node instance IDs/);
  });
});

describe('applyRenames', () => {
  it('renames the id, the host and relationship targets', () => {
    const renames = new Map([
      ['vm_a', 'vm_x'],
      ['db_b', 'db_y'],
    ]);
    expect(
      applyRenames(
        {
          id: 'vm_a',
          node_id: 'vm',
          host_id: 'vm_a',
          relationships: [
            { target_id: 'db_b', type: 'connected_to' },
            { target_id: 'net_c', type: 'contained_in' },
          ],
        },
        renames,
      ),
    ).toEqual({
      id: 'vm_x',
      node_id: 'vm',
      host_id: 'vm_x',
      relationships: [
        { target_id: 'db_y', type: 'connected_to' },
        { target_id: 'net_c', type: 'contained_in' },
      ],
    });
  });
});

describe('assignIndexes', () => {
  it('numbers each node’s instances on from its highest index, honouring given ones', () => {
    expect(
      assignIndexes(
        [
          { node_id: 'vm' },
          { node_id: 'db' },
          { node_id: 'vm', index: 7 },
          { node_id: 'vm' },
          { node_id: 'db' },
        ],
        new Map([['vm', 2]]),
      ),
    ).toEqual([3, 1, 7, 8, 2]);
  });
});

describe('newInstanceRow', () => {
  const parent = { tenantId: 4, creatorId: 9, nodeFk: 12, visibility: Visibility.Tenant };

  it('fills Cloudify’s defaults', () => {
    expect(newInstanceRow({ id: 'vm_a', node_id: 'vm' }, 1, parent)).toEqual({
      id: 'vm_a',
      tenantId: 4,
      creatorId: 9,
      visibility: 'tenant',
      nodeFk: 12,
      index: 1,
      state: 'uninitialized',
      version: 1,
      runtimeProperties: {},
      systemProperties: null,
      relationships: [],
      scalingGroups: [],
      hostId: null,
      isStatusCheckOk: false,
      hasConfigurationDrift: false,
    });
  });

  it('keeps what the request gives', () => {
    expect(
      newInstanceRow(
        { id: 'vm_a', node_id: 'vm', state: 'started', version: 3, runtime_properties: { a: 1 } },
        2,
        parent,
      ),
    ).toMatchObject({ state: 'started', version: 3, runtimeProperties: { a: 1 }, index: 2 });
  });
});
