import { isAllowedFor, isPermitted, PERMISSIONS, rolesAllowed } from './permissions';

describe('permission table', () => {
  it('holds Cloudify’s default permissions, every one allowed to sys_admin', () => {
    expect(Object.keys(PERMISSIONS).length).toBeGreaterThan(200);
    for (const [name, roles] of Object.entries(PERMISSIONS)) {
      expect({ name, sysAdmin: roles.includes('sys_admin') }).toEqual({ name, sysAdmin: true });
    }
  });

  it.each([
    ['blueprint_list', ['sys_admin', 'manager', 'user', 'operations', 'viewer']],
    ['blueprint_upload', ['sys_admin', 'manager', 'user']],
    ['execution_start', ['sys_admin', 'manager', 'user', 'operations']],
    ['site_create', ['sys_admin', 'manager', 'user']],
    ['create_token', ['sys_admin', 'manager', 'user', 'viewer', 'default']],
    ['status_get', ['sys_admin', 'manager', 'user', 'operations', 'viewer', 'default']],
    ['manage_others_tokens', ['sys_admin']],
    ['user_list', ['sys_admin']],
  ])('%s is allowed to %j', (permission, roles) => {
    expect([...rolesAllowed(permission)].sort()).toEqual([...roles].sort());
  });

  it('keeps actions a role lacks from it', () => {
    expect(isPermitted('blueprint_upload', ['default', 'viewer'])).toBe(false);
    expect(isPermitted('blueprint_upload', ['default', 'user'])).toBe(true);
    expect(isPermitted('create_token', ['operations'])).toBe(false);
  });

  it('reserves an unknown permission to sys_admin', () => {
    expect(rolesAllowed('no_such_permission')).toEqual(['sys_admin']);
    expect(isPermitted('no_such_permission', ['manager'])).toBe(false);
  });

  it('lets the bootstrap admin do everything, whatever its roles', () => {
    const auth = { user: { id: 0, systemRole: 'default' }, roles: [] };
    expect(isAllowedFor(auth, 'no_such_permission')).toBe(true);
    expect(isAllowedFor({ ...auth, user: { id: 7, systemRole: 'default' } }, 'user_list')).toBe(
      false,
    );
  });
});
