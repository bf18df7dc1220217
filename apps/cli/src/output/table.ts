/** A cell as text: nothing for null, timestamps without the T and Z, JSON for structures. */
export function cellText(key: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    return key.endsWith('_at') || key === 'timestamp' || key === 'expiration_date'
      ? value.replace('T', ' ').replace(/Z$/, '')
      : value;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows under a header, each column as wide as its widest cell. */
export function renderTable(columns: string[], rows: Array<Record<string, unknown>>): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column, row[column])));
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((row) => row[i].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join(
    '\n',
  );
}

/** `key: value` lines for one object, keys aligned. */
export function renderFields(fields: string[], item: Record<string, unknown>): string {
  const width = Math.max(...fields.map((field) => field.length));
  return fields
    .map((field) => `${`${field}:`.padEnd(width + 2)}${cellText(field, item[field])}`)
    .join('\n');
}
