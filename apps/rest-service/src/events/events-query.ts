import { BadParametersError, parseTimestamp } from '@nestify/common';
import { parseListQuery, pyList, RawQuery, SortDirection } from '../common/list/list-query';

export const EVENT_TYPES = ['cloudify_event', 'cloudify_log'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Fields of an event item (GET /events), in Cloudify's order. */
export const EVENT_FIELDS = [
  '_storage_id',
  'timestamp',
  'reported_timestamp',
  'type',
  'blueprint_id',
  'deployment_id',
  'deployment_display_name',
  'execution_id',
  'execution_group_id',
  'workflow_id',
  'message',
  'error_causes',
  'event_type',
  'logger',
  'level',
  'operation',
  'node_instance_id',
  'node_name',
  'source_id',
  'target_id',
  'manager_name',
  'agent_name',
] as const;

/** Equality filters GET /events knows (message and operation match as ILIKE patterns). */
const EQUALITY_FILTERS = [
  'execution_id',
  'execution_group_id',
  'deployment_id',
  'blueprint_id',
  'node_id',
  'node_instance_id',
  'event_type',
  'level',
] as const;
const PATTERN_FILTERS = {
  operation: 'operation',
  message: 'message',
  'message.text': 'message',
} as const;
const OWN_PARAMS = new Set([
  'type',
  '_range',
  ...EQUALITY_FILTERS,
  ...Object.keys(PATTERN_FILTERS),
]);

export interface EventsQuery {
  types: EventType[];
  equals: Partial<Record<(typeof EQUALITY_FILTERS)[number], string[]>>;
  patterns: { column: 'operation' | 'message'; values: string[] }[];
  from?: Date;
  to?: Date;
  sort: { field: string; direction: SortDirection }[];
  size: number;
  offset: number;
  include?: string[];
  getAllResults: boolean;
}

const list = (raw: unknown): string[] =>
  raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);

/** `_range=@timestamp,<from>,<to>` (either end may be empty): from inclusive, to exclusive. */
function parseRange(raw: unknown): { from?: Date; to?: Date } {
  const [value] = list(raw);
  if (value === undefined) return {};
  const [field, from, to] = value.split(',');
  if (field.replace(/^@/, '') !== 'timestamp' || from === undefined) {
    throw new BadParametersError(`Invalid _range '${value}': expected @timestamp,<from>,<to>`);
  }
  const date = (text: string | undefined) => {
    if (!text) return undefined;
    const parsed = parseTimestamp(text);
    if (!parsed) throw new BadParametersError(`Invalid _range timestamp '${text}'`);
    return parsed;
  };
  return { from: date(from), to: date(to) };
}

/**
 * Parses GET /events parameters as Cloudify's events endpoint reads them: both types unless
 * `type` says otherwise, default page size 10000, sorting by timestamp then storage id.
 */
export function parseEventsQuery(raw: RawQuery): EventsQuery {
  const unknown = Object.keys(raw).filter((key) => !key.startsWith('_') && !OWN_PARAMS.has(key));
  if (unknown.length)
    throw new BadParametersError(`Unknown field to filter by: ${pyList(unknown)}`);
  const common: RawQuery = {};
  for (const [key, value] of Object.entries(raw))
    if (key.startsWith('_') && key !== '_range') common[key] = value;
  const parsed = parseListQuery(common, {
    fields: EVENT_FIELDS,
    defaultSize: 10000,
    defaultSort: [{ field: 'timestamp', direction: 'ASC' }],
  });
  const types = list(raw.type);
  for (const type of types) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      throw new BadParametersError(
        `Unknown event type '${type}': expected cloudify_event or cloudify_log`,
      );
    }
  }
  const equals: EventsQuery['equals'] = {};
  for (const name of EQUALITY_FILTERS) if (raw[name] !== undefined) equals[name] = list(raw[name]);
  const patterns = Object.entries(PATTERN_FILTERS)
    .filter(([param]) => raw[param] !== undefined)
    .map(([param, column]) => ({ column, values: list(raw[param]) }));
  return {
    types: (types.length ? types : [...EVENT_TYPES]) as EventType[],
    equals,
    patterns,
    ...parseRange(raw._range),
    sort: parsed.sort,
    size: parsed.size,
    offset: parsed.offset,
    include: parsed.include,
    getAllResults: parsed.getAllResults,
  };
}
