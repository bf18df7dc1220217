import { effectiveRoles } from './user-roles';
import type { HeldRole } from './users.repository';

const held = (source: HeldRole['source'], role: string, roleId: number): HeldRole => ({
  source,
  role,
  roleId,
});

describe('effective roles', () => {
  it('combines the own system role with tenant roles, direct first', () => {
    const roles = effectiveRoles([
      held('group_tenant', 'manager', 3),
      held('tenant', 'viewer', 6),
      held('system', 'default', 2),
    ]);
    expect(roles).toEqual({
      ownSystemRole: 'default',
      systemRole: 'default',
      tenantRoles: ['viewer', 'manager'],
      directTenantRole: 'viewer',
      all: ['default', 'viewer', 'manager'],
    });
  });

  it('makes a user sys_admin through a group', () => {
    const roles = effectiveRoles([
      held('group_system', 'sys_admin', 1),
      held('system', 'default', 2),
    ]);
    expect(roles.systemRole).toBe('sys_admin');
    expect(roles.ownSystemRole).toBe('default');
  });

  it('falls back to the default system role when the user holds none', () => {
    expect(effectiveRoles([])).toMatchObject({
      ownSystemRole: null,
      systemRole: 'default',
      all: [],
    });
  });
});
