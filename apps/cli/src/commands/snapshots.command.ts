import { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { followExecution } from '../follow/execution-follower';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { addDeleteCommand, addGetCommand, addListCommand } from '../manager/resource-commands';

const COLUMNS = ['id', 'status', 'created_at', 'created_by', 'error'];

/** `nestify snapshots create|list|get|delete|download|upload|restore`. */
export function snapshotsCommand(): Command {
  const snapshots = new Command('snapshots').description(
    'snapshots: back up the manager (database and resources) and restore it',
  );
  withConnectionOptions(
    snapshots
      .command('create <id>')
      .description('archive the database and the blueprint and plugin resources')
      .option('--exclude-logs', 'leave stored logs out')
      .option('--exclude-events', 'leave stored events out'),
  ).action(
    async (
      id: string,
      options: ConnectionOptions & { excludeLogs?: boolean; excludeEvents?: boolean },
    ) => {
      const { client, out } = contextOf(options);
      const execution = await client.snapshots.create(id, {
        include_logs: !options.excludeLogs,
        include_events: !options.excludeEvents,
      });
      out.info(`Creating snapshot ${id} [execution ${execution.id}]`);
      await followExecution(client, execution, out.json);
      out.info(`Snapshot ${id} created`);
      if (out.json) out.writeJson(await client.snapshots.get(id));
    },
  );
  addListCommand(snapshots, {
    title: 'Snapshots',
    columns: COLUMNS,
    list: (client, query) => client.snapshots.list(query),
  });
  addGetCommand(snapshots, 'id', COLUMNS, (c, id) => c.snapshots.get(id));
  addDeleteCommand(snapshots, 'id', 'snapshot', (c, id) => c.snapshots.delete(id));
  withConnectionOptions(
    snapshots
      .command('download <id>')
      .description('save the archive to a file')
      .option('-o, --output-path <file>', 'where to write it (default <id>.tar.gz)'),
  ).action(async (id: string, options: ConnectionOptions & { outputPath?: string }) => {
    const { client, out } = contextOf(options);
    const path = options.outputPath ?? `${id}.tar.gz`;
    await writeFile(path, await client.snapshots.download(id));
    out.info(`Snapshot ${id} downloaded to ${path}`);
    if (out.json) out.writeJson({ id, path });
  });
  withConnectionOptions(
    snapshots
      .command('upload <file>')
      .description('upload an archive made by `snapshots create`')
      .requiredOption('-s, --snapshot-id <id>', 'the id to give it'),
  ).action(async (file: string, options: ConnectionOptions & { snapshotId: string }) => {
    const { client, out } = contextOf(options);
    const snapshot = await client.snapshots.upload(options.snapshotId, await readFile(file));
    out.info(`Snapshot ${snapshot.id} uploaded`);
    if (out.json) out.writeJson(snapshot);
  });
  withConnectionOptions(
    snapshots
      .command('restore <id>')
      .description('replace the database and resources with the snapshot (stop workers first)')
      .option('--force', 'restore even though the manager has blueprints or deployments'),
  ).action(async (id: string, options: ConnectionOptions & { force?: boolean }) => {
    const { client, out } = contextOf(options);
    const execution = await client.snapshots.restore(id, { force: Boolean(options.force) });
    out.info(`Restoring snapshot ${id} [execution ${execution.id}]`);
    await followExecution(client, execution, out.json);
    out.info(`Snapshot ${id} restored`);
  });
  return snapshots;
}
