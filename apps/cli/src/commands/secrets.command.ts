import { Command } from 'commander';
import { UsageError } from '../inputs';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { addDeleteCommand, addGetCommand, addListCommand } from '../manager/resource-commands';

const COLUMNS = [
  'key',
  'created_at',
  'updated_at',
  'visibility',
  'tenant_name',
  'created_by',
  'is_hidden_value',
];

interface SecretOptions extends ConnectionOptions {
  secretString?: string;
  updateIfExists?: boolean;
  hiddenValue?: boolean;
  visibility?: 'private' | 'tenant' | 'global';
}

function valueOf(options: SecretOptions): string {
  if (options.secretString === undefined) throw new UsageError('give the value with -s');
  return options.secretString;
}

/** `nestify secrets create|get|list|update|delete`. */
export function secretsCommand(): Command {
  const secrets = new Command('secrets').description(
    'secrets: values blueprints read with get_secret',
  );
  withConnectionOptions(
    secrets
      .command('create <key>')
      .description('create a secret')
      .option('-s, --secret-string <value>', 'the value')
      .option('-u, --update-if-exists', 'replace the value if the secret exists')
      .option('--hidden-value', 'hide the value from users other than its creator and admins')
      .option('-l, --visibility <visibility>', 'private, tenant or global', 'tenant'),
  ).action(async (key: string, options: SecretOptions) => {
    const { client, out } = contextOf(options);
    const secret = await client.secrets.create(key, {
      value: valueOf(options),
      update_if_exists: Boolean(options.updateIfExists),
      is_hidden_value: Boolean(options.hiddenValue),
      visibility: options.visibility,
    });
    out.info(`Secret ${key} created`);
    if (out.json) out.writeJson(secret);
  });
  addGetCommand(secrets, 'key', [...COLUMNS, 'value'], (c, key) => c.secrets.get(key));
  addListCommand(secrets, {
    title: 'Secrets',
    columns: COLUMNS,
    list: (client, query) => client.secrets.list(query),
  });
  withConnectionOptions(
    secrets
      .command('update <key>')
      .description("change a secret's value or visibility")
      .option('-s, --secret-string <value>', 'the new value')
      .option('-l, --visibility <visibility>', 'private, tenant or global'),
  ).action(async (key: string, options: SecretOptions) => {
    if (options.secretString === undefined && !options.visibility)
      throw new UsageError('give a new value (-s) or visibility (-l)');
    const { client, out } = contextOf(options);
    const secret = await client.secrets.update(key, {
      value: options.secretString,
      visibility: options.visibility,
    });
    out.info(`Secret ${key} updated`);
    if (out.json) out.writeJson(secret);
  });
  addDeleteCommand(secrets, 'key', 'secret', (c, key) => c.secrets.delete(key));
  return secrets;
}
