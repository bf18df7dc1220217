import type { JsonMap, WorkflowEventMessage } from '../ports';
import type { EventFactory, LogLevel } from '../engine/event-factory';

/** `ctx.logger` / `instance.logger`: logs go to the manager through the EventSink. */
export class WorkflowLogger {
  constructor(
    private readonly events: EventFactory,
    private readonly publish: (items: WorkflowEventMessage[]) => void,
    private readonly context: () => JsonMap,
    private readonly loggerName: string,
  ) {}

  debug(text: string): void {
    this.emit('debug', text);
  }
  info(text: string): void {
    this.emit('info', text);
  }
  warning(text: string): void {
    this.emit('warning', text);
  }
  warn(text: string): void {
    this.emit('warning', text);
  }
  error(text: string): void {
    this.emit('error', text);
  }

  private emit(level: LogLevel, text: string): void {
    this.publish([this.events.log(level, text, this.context(), this.loggerName)]);
  }
}
