import { RecoverableError } from '@nestify/plugin-sdk';

/** A script exited non-zero without aborting or asking for a retry: retried like any failure. */
export class ProcessException extends RecoverableError {
  override name = 'ProcessException';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(
      `command: ${command}, exit_code: ${exitCode}, stdout: ${stdout.trim()}, stderr: ${stderr.trim()}`,
    );
  }
}
