import { INestApplication } from '@nestjs/common';

/** Closes apps in reverse start order, so the first one started (which migrated) goes last. */
export async function closeApps(apps: INestApplication[]): Promise<void> {
  for (const app of [...apps].reverse()) await app.close();
}

/**
 * Entry-point wrapper. A start-up failure (bad configuration, unreachable database…) prints one
 * readable line and exits non-zero instead of an unhandled-rejection stack. SIGTERM/SIGINT close
 * every app cleanly and exit 0 — also when they arrive while the apps are still starting.
 */
export function runMain(start: () => Promise<INestApplication | INestApplication[]>): void {
  let apps: INestApplication[] = [];
  const fail = (what: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`nestify: ${what}: ${message}\n`);
    process.exit(1);
  };
  const started = start().then(
    (result) => {
      apps = Array.isArray(result) ? result : [result];
    },
    (error: unknown) => fail('failed to start', error),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void started
      .then(() => closeApps(apps))
      .then(
        () => process.exit(0),
        (error: unknown) => fail('failed to stop cleanly', error),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
