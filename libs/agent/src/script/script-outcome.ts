import { NonRecoverableError, type JsonValue } from '@nestify/plugin-sdk';

/** Returned by the proxy for `abort-operation`/`retry-operation`: the CLI exits with the message. */
export class StopOperation {
  constructor(readonly message: string) {}
}

type Outcome =
  | { kind: 'returned'; value: JsonValue }
  | { kind: 'aborted'; message: string }
  | { kind: 'retry'; message: string; retryAfter: number | null };

/** What the script told the ctx about how it ends: at most one of returns / abort / retry. */
export class ScriptOutcome {
  private outcome: Outcome | undefined;

  get current(): Outcome | undefined {
    return this.outcome;
  }

  returns(value: JsonValue): null {
    this.set({ kind: 'returned', value: value ?? null });
    return null;
  }

  abort(message = 'Operation aborted'): StopOperation {
    this.set({ kind: 'aborted', message });
    return new StopOperation(message);
  }

  retry(message = 'Operation requested retry', retryAfter?: unknown): StopOperation {
    const after = retryAfter === undefined || retryAfter === null ? null : Number(retryAfter);
    this.set({ kind: 'retry', message, retryAfter: Number.isFinite(after) ? after : null });
    return new StopOperation(message);
  }

  private set(outcome: Outcome): void {
    if (this.outcome) throw new NonRecoverableError('ctx may only abort or return once');
    this.outcome = outcome;
  }
}
