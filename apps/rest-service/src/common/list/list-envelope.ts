import { ListQuery } from './list-query';

/** Cloudify's list response: items plus pagination (`size` is the requested page size). */
export interface ListEnvelope<T> {
  items: T[];
  metadata: {
    pagination: { total: number; size: number; offset: number };
    filtered: number | null;
  };
}

/** Keeps only the `_include`d fields of an item (all of them without `_include`). */
export function pickFields<T extends object>(item: T, include: string[] | undefined): Partial<T> {
  if (!include) return item;
  const picked: Partial<T> = {};
  for (const field of include) {
    if (field in item) picked[field as keyof T] = item[field as keyof T];
  }
  return picked;
}

export function listEnvelope<T extends object>(
  items: T[],
  total: number,
  query: ListQuery,
): ListEnvelope<Partial<T>> {
  return {
    items: items.map((item) => pickFields(item, query.include)),
    metadata: {
      pagination: { total, size: query.size, offset: query.offset },
      filtered: null,
    },
  };
}
