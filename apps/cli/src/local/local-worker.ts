import {
  defaultPluginRegistry,
  type ManagerClient,
  type OperationTask,
  OperationWorker,
} from '@nestify/agent';
import { LoggerLike, newUuid } from '@nestify/common';
import {
  type Consumer,
  CORE_TOPOLOGY,
  InProcessMessageBus,
  type MessageBus,
  QUEUES,
} from '@nestify/messaging';
import type { EventSink, WorkflowEventMessage } from '@nestify/workflows';
import { BusDispatcher } from './bus-dispatcher';

/** Operation task bodies (and logs) stay in this process; scripts' outputs can be large. */
const LOCAL_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Operations run at once, as the central deployment agent's default. */
const LOCAL_CONCURRENCY = 20;

export interface LocalWorkerOptions {
  /** The ctx's view of nodes, instances and resources. */
  client: ManagerClient;
  /** Where the operations' own events and logs go. */
  events: EventSink;
  /** Plugins beyond the built-in ones are loaded from `<dataDir>/plugins/<name>`. */
  dataDir: string;
  logger: LoggerLike;
}

/**
 * The manager's moving parts, in this process: an in-process bus, the operation worker of
 * libs/agent on the central deployment agent's queue, a dispatcher sending it tasks, and
 * consumers passing the operations' events and logs on as they arrive.
 */
export class LocalWorker {
  readonly dispatcher: BusDispatcher;
  private readonly worker: OperationWorker;
  private readonly consumers: Consumer[] = [];

  private constructor(
    private readonly bus: MessageBus,
    private readonly options: LocalWorkerOptions,
  ) {
    this.dispatcher = new BusDispatcher(bus);
    this.worker = new OperationWorker({
      bus,
      queue: QUEUES.operations,
      concurrency: LOCAL_CONCURRENCY,
      plugins: defaultPluginRegistry(options.dataDir),
      // The worker asks for a client as it begins an operation: the moment a manager's worker
      // reports the task started, which produces the `task_started` event.
      clientFor: (task) => {
        options.events.publish([taskStartedEvent(task)]);
        return options.client;
      },
      logger: options.logger,
    });
  }

  static async start(options: LocalWorkerOptions): Promise<LocalWorker> {
    const bus = InProcessMessageBus.open(LOCAL_MAX_MESSAGE_BYTES, options.logger);
    await bus.declare(CORE_TOPOLOGY);
    const local = new LocalWorker(bus, options);
    await local.startParts();
    return local;
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.dispatcher.stop();
    for (const consumer of this.consumers.splice(0)) await consumer.cancel();
    await this.bus.close();
  }

  private async startParts(): Promise<void> {
    const forward = async (message: { body: unknown }) => {
      this.options.events.publish([message.body as WorkflowEventMessage]);
    };
    this.consumers.push(
      await this.bus.consume(QUEUES.events, forward),
      await this.bus.consume(QUEUES.logs, forward),
    );
    await this.dispatcher.start();
    await this.worker.start();
  }
}

/** `Task started '<task name>'[ [retry n/m]]`, in the context of the operation. */
function taskStartedEvent(task: OperationTask): WorkflowEventMessage {
  const ctx = task.context;
  const retry = ctx.operation?.retry_number ?? 0;
  const total = ctx.operation?.max_retries ?? 0;
  const suffix = retry > 0 ? ` [retry ${retry}${total >= 0 ? `/${total}` : ''}]` : '';
  return {
    message_id: newUuid(),
    type: 'cloudify_event',
    event_type: 'task_started',
    timestamp: new Date().toISOString(),
    message: { text: `Task started '${ctx.task_name}'${suffix}`, arguments: null },
    context: {
      blueprint_id: ctx.blueprint_id ?? null,
      deployment_id: ctx.deployment_id ?? null,
      execution_id: ctx.execution_id,
      workflow_id: ctx.workflow_id,
      tenant_name: ctx.tenant.name,
      tenant: { name: ctx.tenant.name },
      task_id: ctx.task_id,
      task_name: ctx.task_name,
      operation: ctx.operation?.name ?? null,
      plugin: ctx.plugin?.name ?? null,
      node_id: ctx.node_id ?? null,
      node_name: ctx.node_name ?? null,
      task_current_retries: retry,
      task_total_retries: total,
    },
  };
}
