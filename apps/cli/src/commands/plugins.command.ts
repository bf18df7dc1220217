import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { addListCommand } from '../manager/resource-commands';

/** `nestify plugins upload|list|delete`. */
export function pluginsCommand(): Command {
  const plugins = new Command('plugins').description(
    'plugins: zip with plugin.yaml, or npm tarballs',
  );
  withConnectionOptions(
    plugins
      .command('upload <path>')
      .description('upload a plugin package')
      .option('--title <title>', 'a title for the plugin')
      .option('-l, --visibility <visibility>', 'private, tenant or global', 'tenant'),
  ).action(
    async (
      path: string,
      options: ConnectionOptions & { title?: string; visibility: 'private' | 'tenant' | 'global' },
    ) => {
      const { client, out } = contextOf(options);
      const plugin = await client.plugins.upload(await readFile(path), {
        visibility: options.visibility,
        title: options.title,
      });
      out.info(`Plugin uploaded. The plugin's id is ${plugin.id}`);
      if (out.json) out.writeJson(plugin);
    },
  );
  addListCommand(plugins, {
    title: 'Plugins',
    columns: [
      'id',
      'package_name',
      'package_version',
      'distribution',
      'supported_platform',
      'uploaded_at',
      'visibility',
      'tenant_name',
      'created_by',
    ],
    list: (client, query) => client.plugins.list(query),
  });
  withConnectionOptions(
    plugins
      .command('delete <plugin-id>')
      .description('delete a plugin')
      .option('-f, --force', 'delete even if deployments use it'),
  ).action(async (id: string, options: ConnectionOptions & { force?: boolean }) => {
    const { client, out } = contextOf(options);
    await client.plugins.delete(id, { force: options.force });
    out.info(`Plugin ${id} deleted`);
    if (out.json) out.writeJson({ id, deleted: true });
  });
  return plugins;
}
