import { BadParametersError, NestifyError } from '@nestify/common';

/** Raw query parameters as the HTTP platform parses them (repeated keys become arrays). */
export type RawQuery = Record<string, unknown>;

export type SortDirection = 'ASC' | 'DESC';

/** What a list endpoint accepts, field names as they appear in its response items. */
export interface ListSpec {
  /** Every field of a response item: valid for `_sort`, `_include` and equality filters. */
  fields: readonly string[];
  /** The field `_search` matches (case-insensitive substring), if the resource has one. */
  searchField?: string;
  /** Default page size (Cloudify: 1000; events: 10000). */
  defaultSize?: number;
  /** Order when no `_sort` is given. */
  defaultSort?: { field: string; direction: SortDirection }[];
  /** Endpoint-specific `_`-parameters it understands (left alone here). */
  extraParams?: readonly string[];
}

/** A parsed, validated list request. */
export interface ListQuery {
  size: number;
  offset: number;
  sort: { field: string; direction: SortDirection }[];
  include?: string[];
  search?: string;
  getAllResults: boolean;
  allTenants: boolean;
  getData: boolean;
  /** field → accepted values (OR); booleans and numbers are still strings here. */
  filters: Record<string, string[]>;
}

export class NoSuchIncludeFieldError extends NestifyError {
  constructor(message: string) {
    super(message, 'no_such_include_field_error');
  }
}

const COMMON_PARAMS = new Set([
  '_size',
  '_offset',
  '_sort',
  '_include',
  '_search',
  '_get_all_results',
  '_all_tenants',
  '_get_data',
]);
const SORT_PATTERN = /^([+-]?)(@?\w+)$/;

/** Python's repr of a list of strings, which Cloudify's messages print. */
export function pyList(values: readonly string[]): string {
  return `[${values.map((value) => `'${value}'`).join(', ')}]`;
}

function values(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

function single(raw: unknown): string | undefined {
  const all = values(raw);
  return all.length ? all[all.length - 1] : undefined;
}

/** `true`/`false` (any case), `1`/`0`; the Python client sends `True`/`False`. */
export function parseBoolean(raw: unknown, name: string, fallback = false): boolean {
  const value = single(raw);
  if (value === undefined || value === '') return fallback;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw new BadParametersError(`\`${name}\` must be a boolean, got '${value}'`);
}

function nonNegativeInt(raw: unknown, name: string, fallback: number): number {
  const value = single(raw);
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) {
    throw new BadParametersError(`\`${name}\` must be a non-negative integer, got '${value}'`);
  }
  return Number(value);
}

function parseSort(raw: unknown, spec: ListSpec): ListQuery['sort'] {
  const sort: ListQuery['sort'] = [];
  const unknown: string[] = [];
  for (const entry of values(raw)) {
    const match = SORT_PATTERN.exec(entry);
    const field = match?.[2].replace(/^@/, '');
    if (!match || !field || !spec.fields.includes(field)) {
      unknown.push(field ?? entry);
      continue;
    }
    sort.push({ field, direction: match[1] === '-' ? 'DESC' : 'ASC' });
  }
  if (unknown.length) throw new BadParametersError(`Sort keys '${pyList(unknown)}' do not exist`);
  return sort.length ? sort : (spec.defaultSort ?? []);
}

function parseInclude(raw: unknown, spec: ListSpec): string[] | undefined {
  const requested = values(raw)
    .flatMap((value) => value.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  if (!requested.length) return undefined;
  const unknown = requested.filter((field) => !spec.fields.includes(field));
  if (unknown.length) {
    throw new NoSuchIncludeFieldError(
      `Include keys '${pyList(unknown)}' do not exist. Allowed keys are: ${pyList([...spec.fields])}`,
    );
  }
  return requested;
}

function parseFilters(query: RawQuery, spec: ListSpec): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  const unknown: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (key.startsWith('_')) continue;
    if (!spec.fields.includes(key)) unknown.push(key);
    else filters[key] = values(raw);
  }
  if (unknown.length) throw new BadParametersError(`Filter keys '${pyList(unknown)}' do not exist`);
  return filters;
}

/**
 * Parses the list parameters every Cloudify list endpoint shares (rest-api.md §1.3) and refuses
 * what the endpoint does not know: bad paging (400), unknown sort, filter or include keys.
 */
export function parseListQuery(query: RawQuery, spec: ListSpec): ListQuery {
  return {
    size: nonNegativeInt(query._size, '_size', spec.defaultSize ?? 1000),
    offset: nonNegativeInt(query._offset, '_offset', 0),
    sort: parseSort(query._sort, spec),
    include: parseInclude(query._include, spec),
    search: spec.searchField ? single(query._search) : undefined,
    getAllResults: parseBoolean(query._get_all_results, '_get_all_results'),
    allTenants: parseBoolean(query._all_tenants, '_all_tenants'),
    getData: parseBoolean(query._get_data, '_get_data'),
    filters: parseFilters(query, spec),
  };
}

/** Whether a parameter is one parseListQuery understands (endpoints check their own extras). */
export function isCommonListParam(name: string): boolean {
  return COMMON_PARAMS.has(name);
}
