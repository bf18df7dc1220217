import { INestApplication } from '@nestjs/common';

/**
 * Entry-point wrapper: a start-up failure (bad configuration, unreachable database…) prints one
 * readable line and exits non-zero instead of an unhandled-rejection stack.
 */
export function runMain(start: () => Promise<INestApplication | INestApplication[]>): void {
  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`nestify: failed to start: ${message}\n`);
    process.exit(1);
  });
}
