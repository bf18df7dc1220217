import { ManagerError, ManagerUnreachableError } from '@nestify/client';

/** The CLI's exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** The manager refused the request, or the execution failed or was cancelled. */
  failed: 1,
  /** Bad usage or bad local input. */
  usage: 2,
  /** No answer from the manager. */
  unreachable: 3,
  /** 401/403: bad credentials, locked user, no permission, unknown tenant. */
  unauthorized: 4,
  /** Ctrl-C while following an execution. */
  interrupted: 130,
} as const;

/** Ends the command with a message (already readable) and an exit code. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The one line and exit code for an error from the manager, or undefined for other errors. */
export function describeManagerError(
  error: unknown,
): { message: string; code: number } | undefined {
  if (error instanceof ManagerUnreachableError) {
    return { message: error.message, code: EXIT.unreachable };
  }
  if (error instanceof ManagerError) {
    const code = error.status === 401 || error.status === 403 ? EXIT.unauthorized : EXIT.failed;
    return { message: `${error.message} (${error.errorCode})`, code };
  }
  if (error instanceof CliExit) return { message: error.message, code: error.exitCode };
  return undefined;
}
