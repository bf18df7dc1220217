import { Command } from 'commander';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { addDeleteCommand, addGetCommand, addListCommand } from '../manager/resource-commands';

const COLUMNS = ['name', 'location', 'visibility', 'tenant_name', 'created_at', 'created_by'];

/** `nestify sites list|get|create|delete`. */
export function sitesCommand(): Command {
  const sites = new Command('sites').description('sites: where deployments run');
  addListCommand(sites, {
    title: 'Sites',
    columns: COLUMNS,
    list: (client, query) => client.sites.list(query),
  });
  addGetCommand(sites, 'name', COLUMNS, (c, name) => c.sites.get(name));
  withConnectionOptions(
    sites
      .command('create <name>')
      .description('create a site')
      .option('--location <lat,long>', 'its latitude and longitude')
      .option('-l, --visibility <visibility>', 'private, tenant or global', 'tenant'),
  ).action(
    async (
      name: string,
      options: ConnectionOptions & {
        location?: string;
        visibility: 'private' | 'tenant' | 'global';
      },
    ) => {
      const { client, out } = contextOf(options);
      const site = await client.sites.create(name, {
        location: options.location,
        visibility: options.visibility,
      });
      out.info(`Site ${name} created`);
      if (out.json) out.writeJson(site);
    },
  );
  addDeleteCommand(sites, 'name', 'site', (c, name) => c.sites.delete(name));
  return sites;
}
