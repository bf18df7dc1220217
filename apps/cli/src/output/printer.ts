import { renderFields, renderTable } from './table';

/** Writes command results: aligned tables and fields for people, JSON with `--json`. */
export class Printer {
  constructor(readonly json: boolean) {}

  /** A line for people; nothing in JSON mode, where stdout is for the JSON alone. */
  info(text: string): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  list<T extends object>(title: string, items: T[], columns: string[]): void {
    if (this.json) return this.writeJson(items);
    process.stdout.write(`${title}:\n`);
    const rows = items as Array<Record<string, unknown>>;
    process.stdout.write(`${renderTable(columns, rows)}\n`);
  }

  object<T extends object>(item: T, fields?: string[]): void {
    if (this.json) return this.writeJson(item);
    const record = item as Record<string, unknown>;
    process.stdout.write(`${renderFields(fields ?? Object.keys(record), record)}\n`);
  }

  writeJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
