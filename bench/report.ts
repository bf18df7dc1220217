import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Measurement = { bench: string } & Record<string, string | number | boolean>;

/**
 * Prints each measurement as one JSON line on stdout and saves the run as
 * `bench/results/<bench>.json` (the latest run of each benchmark, for comparing commits).
 */
export class BenchReport {
  private readonly lines: Measurement[] = [];

  constructor(private readonly bench: string) {}

  record(measurement: Omit<Measurement, 'bench'>): void {
    const line = { bench: this.bench, ...measurement } as Measurement;
    this.lines.push(line);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }

  save(): string {
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.bench}.json`);
    const run = { at: new Date().toISOString(), node: process.version, measurements: this.lines };
    writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    return file;
  }
}

/** Rounds to a few significant digits for readable lines. */
export function round(value: number, digits = 3): number {
  return Number(value.toPrecision(digits));
}
