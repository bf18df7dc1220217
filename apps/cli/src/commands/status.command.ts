import { Command } from 'commander';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { CliExit, EXIT } from '../exit-codes';

/** `nestify status`: the manager's services; exit 1 unless all are active. */
export function statusCommand(): Command {
  return withConnectionOptions(
    new Command('status').description("the manager's services, Active or Inactive"),
  ).action(async (options: ConnectionOptions) => {
    const { client, out, profile } = contextOf(options);
    const status = await client.status();
    if (out.json) out.writeJson(status);
    else {
      out.info(`Manager ${profile.manager_url}: ${status.status}`);
      const rows = Object.entries(status.services).map(([service, report]) => ({
        service,
        status: report.status,
      }));
      out.list('Services', rows, ['service', 'status']);
    }
    if (status.status !== 'OK') throw new CliExit(`manager status: ${status.status}`, EXIT.failed);
  });
}
