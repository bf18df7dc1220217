import { tenantUsers, tenantView } from './tenant-view';

const members = {
  direct: new Map([
    ['alice', 'viewer'],
    ['admin', 'user'],
  ]),
  groups: new Map([['ops', { role: 'manager', users: ['alice', 'bob'] }]]),
};

describe('tenant view', () => {
  it('merges direct and group roles per user', () => {
    expect(tenantUsers(members)).toEqual({
      admin: { 'tenant-role': 'user', roles: ['user'] },
      alice: { 'tenant-role': 'viewer', roles: ['manager', 'viewer'] },
      bob: { 'tenant-role': null, roles: ['manager'] },
    });
  });

  it('counts users (direct or through groups) and groups without _get_data', () => {
    expect(tenantView('t', members, false)).toEqual({
      name: 't',
      users: 3,
      groups: 1,
      user_roles: null,
      rabbitmq_username: null,
      rabbitmq_password: null,
      rabbitmq_vhost: null,
    });
  });

  it('renders role maps with _get_data', () => {
    expect(tenantView('t', members, true)).toMatchObject({
      groups: { ops: 'manager' },
      user_roles: {
        direct: { alice: 'viewer', admin: 'user' },
        groups: { ops: { role: 'manager', users: ['alice', 'bob'] } },
      },
    });
  });
});
