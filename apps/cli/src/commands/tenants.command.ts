import { Command } from 'commander';
import { addGetCommand, addListCommand } from '../manager/resource-commands';

/** `nestify tenants list|get`. */
export function tenantsCommand(): Command {
  const tenants = new Command('tenants').description('tenants of the manager');
  addListCommand(tenants, {
    title: 'Tenants',
    columns: ['name', 'users', 'groups'],
    list: (client, query) => client.tenants.list(query),
  });
  addGetCommand(tenants, 'tenant-name', ['name', 'users', 'groups'], (c, name) =>
    c.tenants.get(name),
  );
  return tenants;
}
