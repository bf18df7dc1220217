/**
 * Encodes rows in COPY's text format: tab-separated columns, one row per line, `\N` for NULL, and
 * backslash escapes for the characters that would end a column or a row.
 */
export function copyTextRows(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) out += row.map(copyTextValue).join('\t') + '\n';
  return out;
}

/**
 * The same, `rowsPerChunk` rows at a time, encoded as the consumer asks for them: a COPY of
 * tens of thousands of rows is encoded while PostgreSQL parses what was sent, and never held as
 * one huge string (whose conversion to a Buffer alone took a sixth of a graph's store).
 */
export function* copyTextChunks(
  rows: Iterable<readonly unknown[]>,
  rowsPerChunk = 500,
): Generator<string> {
  let out = '';
  let count = 0;
  for (const row of rows) {
    out += row.map(copyTextValue).join('\t') + '\n';
    if (++count === rowsPerChunk) {
      yield out;
      out = '';
      count = 0;
    }
  }
  if (out) yield out;
}

function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, escapeChar) : text;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(char: string): string {
  return ESCAPES[char];
}
