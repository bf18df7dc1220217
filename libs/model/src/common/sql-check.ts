/**
 * Builds the expression of a CHECK constraint limiting a varchar column to a fixed set of values.
 * We store states as varchar + CHECK rather than PostgreSQL enum types: filtering by an unknown
 * value then simply matches nothing (instead of raising), and adding a value is a one-line change.
 * The generator matches CHECKs by name only, so give them a new name when the set changes.
 */
export function valueIn(column: string, values: readonly string[]): string {
  const quoted = values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
  return `"${column}" IN (${quoted})`;
}
