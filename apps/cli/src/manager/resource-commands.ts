import { Command } from 'commander';
import type { ListQuery, ListResponse, NestifyClient } from '@nestify/client';
import { ConnectionOptions, contextOf, withConnectionOptions } from './connection';
import { ListOptions, listQuery, withListOptions } from './list-options';

type Options = ConnectionOptions & ListOptions & Record<string, unknown>;

export interface ListSpec<T> {
  title: string;
  columns: string[];
  list: (client: NestifyClient, query: ListQuery) => Promise<ListResponse<T>>;
  /** Filters from the command's own options, e.g. `-d` → `deployment_id`. */
  filters?: (options: Options) => ListQuery;
  /** Adds the command's own options (filters). */
  options?: (command: Command) => Command;
}

/** `<group> list`: an aligned table of `columns`, or the items array with `--json`. */
export function addListCommand<T extends object>(group: Command, spec: ListSpec<T>): void {
  const command = group.command('list').description(`list ${spec.title.toLowerCase()}`);
  withListOptions(withConnectionOptions(spec.options ? spec.options(command) : command)).action(
    async (options: Options) => {
      const { client, out } = contextOf(options);
      const page = await spec.list(client, listQuery(options, spec.filters?.(options) ?? {}));
      out.list(spec.title, page.items, spec.columns);
    },
  );
}

/** `<group> get <name>`: `key: value` lines of `fields`, or the object with `--json`. */
export function addGetCommand<T extends object>(
  group: Command,
  argument: string,
  fields: string[] | undefined,
  get: (client: NestifyClient, id: string) => Promise<T>,
): void {
  withConnectionOptions(
    group.command(`get <${argument}>`).description(`show one of ${group.name()}`),
  ).action(async (id: string, options: ConnectionOptions) => {
    const { client, out } = contextOf(options);
    out.object(await get(client, id), fields);
  });
}

/** `<group> delete <name>`. */
export function addDeleteCommand(
  group: Command,
  argument: string,
  what: string,
  remove: (client: NestifyClient, id: string) => Promise<void>,
): void {
  withConnectionOptions(
    group.command(`delete <${argument}>`).description(`delete a ${what}`),
  ).action(async (id: string, options: ConnectionOptions) => {
    const { client, out } = contextOf(options);
    await remove(client, id);
    out.info(`${what[0].toUpperCase()}${what.slice(1)} ${id} deleted`);
    if (out.json) out.writeJson({ id, deleted: true });
  });
}
