import { Command } from 'commander';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { addDeleteCommand, addListCommand } from '../manager/resource-commands';

const COLUMNS = ['id', 'description', 'expiration_date', 'last_used', 'username', 'role'];

/** `nestify tokens list|create|delete`: API tokens for scripts (`--token` or a token profile). */
export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('API tokens');
  addListCommand(tokens, {
    title: 'Tokens',
    columns: COLUMNS,
    list: (client, query) => client.tokens.list(query),
  });
  withConnectionOptions(
    tokens
      .command('create')
      .description('create an API token; its value is shown only now')
      .option('--description <text>', 'what the token is for')
      .option('--expiration <date>', 'when it expires (ISO 8601)'),
  ).action(async (options: ConnectionOptions & { description?: string; expiration?: string }) => {
    const { client, out } = contextOf(options);
    const token = await client.tokens.create({
      description: options.description,
      expiration_date: options.expiration,
    });
    out.object(token, ['id', 'value', 'description', 'expiration_date', 'username']);
  });
  addDeleteCommand(tokens, 'token-id', 'token', (c, id) => c.tokens.delete(id));
  return tokens;
}
