import type { EventSink, GraphStore, OperationStateChange, WorkflowEventMessage } from '../ports';

/** Items per port call: sinks may spread a batch into arguments, which has a ceiling. */
const MAX_BATCH = 1000;

/**
 * The events and task-state changes the engine produces while it works through ready tasks,
 * handed to the EventSink and GraphStore in one call per batch instead of one per item. Order is
 * kept within each stream; whoever publishes past the buffer (`publishNow`) flushes it first, so
 * the event stream stays in the order things happened. States are handed over before the events
 * buffered with them: a sink may wait for the states recorded before an event (a task_succeeded
 * goes out only once its success is stored).
 */
export class BookkeepingBuffer {
  private events: WorkflowEventMessage[] = [];
  private states: OperationStateChange[] = [];

  constructor(
    private readonly sink: EventSink,
    private readonly graphs: GraphStore,
  ) {}

  event(event: WorkflowEventMessage): void {
    this.events.push(event);
    if (this.events.length >= MAX_BATCH) this.flushEvents();
  }

  state(change: OperationStateChange): void {
    this.states.push(change);
    if (this.states.length >= MAX_BATCH) this.flushStates();
  }

  /** Publishes `items` after everything buffered. */
  publishNow(items: WorkflowEventMessage[]): void {
    this.flushEvents();
    this.sink.publish(items);
  }

  flush(): void {
    this.flushEvents();
    this.flushStates();
  }

  private flushEvents(): void {
    this.flushStates();
    if (this.events.length === 0) return;
    const events = this.events;
    this.events = [];
    this.sink.publish(events);
  }

  private flushStates(): void {
    if (this.states.length === 0) return;
    const states = this.states;
    this.states = [];
    this.graphs.recordStates(states);
  }
}
