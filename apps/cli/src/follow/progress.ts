import type { Execution } from '@nestify/client';
import { paint } from '../output/colors';

const BAR_WIDTH = 30;
/** Without a terminal, a progress line at most this often (between events' own lines). */
const PLAIN_PROGRESS_EVERY_MS = 5000;

/** finished/total operations of an execution: counts, or `?` before the graph exists. */
export function operationsText(execution: Execution): string {
  const total = execution.total_operations ?? 0;
  const finished = execution.finished_operations ?? 0;
  return total > 0 ? `${finished}/${total} operations` : 'no operations yet';
}

/**
 * Shows how far an execution got. On a terminal: one bar redrawn in place under the event lines.
 * Otherwise: event lines as they come and a progress line now and then, so logs stay readable.
 */
export class ProgressView {
  private execution: Execution | undefined;
  private barShown = false;
  private lastPlainLine = 0;
  private lastPlainText = '';

  constructor(
    private readonly tty: boolean,
    private readonly colors: boolean,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  /** A line above the bar (an event). */
  line(text: string): void {
    this.clearBar();
    this.write(`${text}\n`);
    this.drawBar();
  }

  update(execution: Execution): void {
    this.execution = execution;
    if (this.tty) return this.redraw();
    const text = `${execution.workflow_id} ${execution.status}: ${operationsText(execution)}`;
    const now = Date.now();
    if (text !== this.lastPlainText && now - this.lastPlainLine >= PLAIN_PROGRESS_EVERY_MS) {
      this.lastPlainText = text;
      this.lastPlainLine = now;
      this.write(`progress: ${text}\n`);
    }
  }

  /** Removes the bar (before a prompt or the final line). */
  clearBar(): void {
    if (this.barShown) this.write('\r\x1b[2K');
    this.barShown = false;
  }

  private redraw(): void {
    this.clearBar();
    this.drawBar();
  }

  private drawBar(): void {
    if (!this.tty || !this.execution) return;
    const total = this.execution.total_operations ?? 0;
    const finished = Math.min(this.execution.finished_operations ?? 0, total);
    const filled = total > 0 ? Math.round((finished / total) * BAR_WIDTH) : 0;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const label = `${this.execution.workflow_id} ${this.execution.status}`;
    this.write(`${paint(this.colors, 'green', bar)} ${operationsText(this.execution)}  ${label}`);
    this.barShown = true;
  }
}
