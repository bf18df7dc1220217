import type { EventSink, JsonMap, WorkflowEventMessage } from '@nestify/workflows';

export type PrintFormat = 'text' | 'json';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-11-25 10:00:03.120` in local time, as `cfy local` shows it. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time}.${pad(date.getMilliseconds(), 3)}`;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/**
 * The `[...]` part of a line: `vm_abc12` for node events, `vm_abc12.create` for operations,
 * `app_x1->db_y2|preconfigure` for the logs of relationship operations.
 */
export function subjectOf(context: JsonMap): string | null {
  const operation = text(context.operation);
  const short = operation ? operation.slice(operation.lastIndexOf('.') + 1) : null;
  const source = text(context.source_id);
  const target = text(context.target_id);
  if (source && target) return short ? `${source}->${target}|${short}` : `${source}->${target}`;
  const node = text(context.node_id);
  if (!node) return null;
  return short ? `${node}.${short}` : node;
}

/** One readable line: `<time>  CFY <deployment> [subject] text` (`LOG … LEVEL: text` for logs). */
export function formatLine(item: WorkflowEventMessage): string {
  const context = item.context ?? {};
  const deployment = text(context.deployment_id) ?? '-';
  const subject = subjectOf(context);
  const head = `${formatTimestamp(item.timestamp)}  ${item.type === 'cloudify_log' ? 'LOG' : 'CFY'} <${deployment}>`;
  const where = subject ? ` [${subject}]` : '';
  const level = item.type === 'cloudify_log' ? `${(item.level ?? 'info').toUpperCase()}: ` : '';
  // A failed workflow's message carries the failure's traceback: the line shows its first line.
  const firstLine = item.message.text.split('\n', 1)[0];
  return `${head}${where} ${level}${firstLine}`;
}

/**
 * Prints events and logs as they happen, one line each (or one JSON object per line), to a
 * stream; the engine's EventSink, and also fed with the operations' events and logs.
 */
export class EventPrinter implements EventSink {
  constructor(
    private readonly write: (line: string) => void,
    private readonly format: PrintFormat,
  ) {}

  publish(items: WorkflowEventMessage[]): void {
    for (const item of items) {
      this.write(`${this.format === 'json' ? JSON.stringify(item) : formatLine(item)}\n`);
    }
  }

  async flush(): Promise<void> {}
}
