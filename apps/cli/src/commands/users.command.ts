import { Command } from 'commander';
import { addGetCommand, addListCommand } from '../manager/resource-commands';

const COLUMNS = ['username', 'role', 'tenants', 'active', 'last_login_at', 'is_locked'];

/** `nestify users list|get`. */
export function usersCommand(): Command {
  const users = new Command('users').description('users of the manager');
  addListCommand(users, {
    title: 'Users',
    columns: COLUMNS,
    list: (client, query) => client.users.list(query),
  });
  addGetCommand(users, 'username', [...COLUMNS, 'created_at'], (c, name) => c.users.get(name));
  return users;
}
