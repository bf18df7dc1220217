import type { CancellationSignal } from '@nestify/workflows';

export type CancelLevel = 'cancel' | 'force' | 'kill';

/**
 * The CancellationSignal the engine reads, raised by whoever sees the execution's status move
 * to a cancelling state. Levels only go up: cancel < force-cancel < kill.
 */
export class ExecutionCancellation implements CancellationSignal {
  private level: CancelLevel | undefined;
  private readonly listeners: Array<() => void> = [];
  private readonly levelListeners: Array<(level: CancelLevel) => void> = [];

  get cancelRequested(): boolean {
    return this.level !== undefined;
  }

  get killRequested(): boolean {
    return this.level === 'kill';
  }

  get forceRequested(): boolean {
    return this.level === 'force' || this.level === 'kill';
  }

  onCancel(listener: () => void): void {
    if (this.cancelRequested) listener();
    else this.listeners.push(listener);
  }

  /** Called on every raise (cancel, then force, then kill). */
  onLevel(listener: (level: CancelLevel) => void): void {
    this.levelListeners.push(listener);
  }

  raise(level: CancelLevel): void {
    const order: CancelLevel[] = ['cancel', 'force', 'kill'];
    if (this.level && order.indexOf(level) <= order.indexOf(this.level)) return;
    const first = this.level === undefined;
    this.level = level;
    if (first) this.listeners.splice(0).forEach((listener) => listener());
    this.levelListeners.forEach((listener) => listener(level));
  }
}

/** The cancel level a stored status asks for, if any. */
export function cancelLevelOf(status: string): CancelLevel | undefined {
  if (status === 'cancelling') return 'cancel';
  if (status === 'force_cancelling') return 'force';
  if (status === 'kill_cancelling') return 'kill';
  return undefined;
}
