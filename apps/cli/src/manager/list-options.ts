import { Command, InvalidArgumentError } from 'commander';
import type { ListQuery } from '@nestify/client';

/** Options of list commands: sorting, paging and search, mapped to Cloudify's query parameters. */
export interface ListOptions {
  sortBy?: string;
  descending?: boolean;
  search?: string;
  size?: number;
  offset?: number;
}

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a whole number');
  return parsed;
}

export function withListOptions(command: Command): Command {
  return command
    .option('--sort-by <field>', 'sort by this field')
    .option('--descending', 'sort in descending order')
    .option('--search <text>', 'only items whose id contains this')
    .option('--size <n>', 'at most this many items', count)
    .option('--offset <n>', 'skip this many items', count);
}

/** The query of a list call: the command's own filters plus the list options. */
export function listQuery(options: ListOptions, filters: ListQuery = {}): ListQuery {
  const query: ListQuery = { ...filters };
  if (options.sortBy) query._sort = `${options.descending ? '-' : ''}${options.sortBy}`;
  if (options.search) query._search = options.search;
  if (options.size !== undefined) query._size = options.size;
  if (options.offset !== undefined) query._offset = options.offset;
  return query;
}
