import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { defaultPluginRegistry, OperationWorker } from '@nestify/agent';
import { Visibility } from '@nestify/common';
import {
  createMessageBus,
  EXCHANGES,
  MessageBus,
  QUEUES,
  replyQueue,
  ROUTING_KEYS,
} from '@nestify/messaging';
import {
  Blueprint,
  BOOTSTRAP_ADMIN_ID,
  Deployment,
  Execution,
  ExecutionStatus,
  Node,
  NodeInstance,
} from '@nestify/model';
import type { JsonMap, OperationReply } from '@nestify/workflows';
import { Fixtures } from '../model/fixtures';
import { startRestTestApp } from '../support/rest-app';

/**
 * An operation worker on the central deployment agent's queue of a throwaway RabbitMQ vhost,
 * with a real REST service (on a throwaway PostgreSQL database, over real HTTP) behind its ctx, one deployment
 * with a node and an instance, and a started execution whose token the tasks carry.
 */
export class WorkerHarness {
  dataSource: DataSource;
  bus: MessageBus;
  worker: OperationWorker;
  dataDir: string;
  resourcesDir: string;
  deployment: Deployment;
  blueprintId: string;
  node: Node;
  instance: NodeInstance;
  executionId: string;
  executionToken: string;
  readonly logs: JsonMap[] = [];
  private readonly replies = new Map<string, OperationReply>();
  private readonly replyQueueSpec = replyQueue(`agent-test-${randomUUID()}`);
  private readonly replyQueueName = this.replyQueueSpec.name;
  private readonly cleanups: Array<() => Promise<unknown>> = [];

  async start(): Promise<void> {
    this.dataDir = await mkdtemp(join(tmpdir(), 'nestify-agent-test-'));
    this.cleanups.push(() => rm(this.dataDir, { recursive: true, force: true }));
    this.resourcesDir = join(this.dataDir, 'resources');
    const rest = await startRestTestApp({ env: { NESTIFY_DATA_DIR: this.dataDir } });
    this.cleanups.push(() => rest.close());
    this.dataSource = rest.dataSource;
    await this.createRows();
    this.bus = await createMessageBus(rest.config.messaging);
    this.cleanups.push(() => this.bus.close());
    await this.listen();
    this.worker = new OperationWorker({
      bus: this.bus,
      queue: QUEUES.operations,
      plugins: defaultPluginRegistry(this.dataDir),
      concurrency: 4,
      restUrl: rest.baseUrl,
    });
    await this.worker.start();
    this.cleanups.push(() => this.worker.stop());
  }

  async stop(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup();
  }

  /** Publishes an operation task as the workflow engine does and waits for its reply. */
  async run(
    taskName: string,
    pluginName: string,
    inputs: JsonMap,
    context: JsonMap = {},
  ): Promise<OperationReply> {
    const id = await this.send(taskName, pluginName, inputs, context);
    return this.reply(id);
  }

  async send(taskName: string, pluginName: string, inputs: JsonMap, context: JsonMap = {}) {
    const task = this.task(taskName, pluginName, inputs, context);
    await this.bus.publish(EXCHANGES.management, ROUTING_KEYS.operation, task, {
      replyTo: this.replyQueueName,
      correlationId: task.id,
    });
    return task.id;
  }

  /** Publishes several tasks in one message, as the dispatcher batches ready tasks; their ids. */
  async sendTogether(tasks: JsonMap[]): Promise<string[]> {
    await this.bus.publish(EXCHANGES.management, ROUTING_KEYS.operation, tasks, {
      replyTo: this.replyQueueName,
    });
    return tasks.map((task) => String(task.id));
  }

  /** An operation task message (messaging.md §3.2) as the workflow engine builds it. */
  task(taskName: string, pluginName: string, inputs: JsonMap, context: JsonMap = {}) {
    const id = randomUUID();
    const cloudifyContext: JsonMap = {
      __cloudify_context: '0.3',
      type: 'operation',
      task_id: id,
      task_name: taskName,
      task_target: EXCHANGES.management,
      execution_id: this.executionId,
      workflow_id: 'install',
      deployment_id: this.deployment.id,
      blueprint_id: this.blueprintId,
      tenant: { name: 'default_tenant' },
      node_id: this.instance.id,
      node_name: this.node.id,
      operation: { name: 'cloudify.interfaces.lifecycle.create', retry_number: 0, max_retries: 3 },
      plugin: { name: pluginName, package_name: null, package_version: null },
      timeout: null,
      execution_token: this.executionToken,
      ...context,
    };
    return { id, cloudify_task: { kwargs: { ...inputs, __cloudify_context: cloudifyContext } } };
  }

  /** The reply to task `id`, polled with a deadline. */
  async reply(id: string, timeoutMs = 20_000): Promise<OperationReply> {
    const reply = await this.poll(() => this.replies.get(id), timeoutMs);
    if (!reply) throw new Error(`no reply to task ${id} in ${timeoutMs} ms`);
    return reply;
  }

  hasReply(id: string): boolean {
    return this.replies.has(id);
  }

  async cancelOperations(executionId: string): Promise<void> {
    await this.bus.publish(EXCHANGES.management, ROUTING_KEYS.service, {
      service_task: { task_name: 'cancel-operation', kwargs: { execution_id: executionId } },
    });
  }

  async storedInstance(): Promise<NodeInstance> {
    return this.dataSource.getRepository(NodeInstance).findOneByOrFail({ id: this.instance.id });
  }

  async poll<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async createRows(): Promise<void> {
    const f = new Fixtures(this.dataSource.manager);
    this.deployment = await f.deployment();
    const blueprint = await this.dataSource
      .getRepository(Blueprint)
      .findOneByOrFail({ storageId: this.deployment.blueprintFk });
    this.blueprintId = blueprint.id;
    this.node = await f.save(Node, {
      tenantId: this.deployment.tenantId,
      creatorId: BOOTSTRAP_ADMIN_ID,
      visibility: Visibility.Tenant,
      id: 'web',
      type: 'cloudify.nodes.WebServer',
      typeHierarchy: ['cloudify.nodes.Root', 'cloudify.nodes.WebServer'],
      properties: { port: 8080, ip: '10.0.0.5' },
      deploymentFk: this.deployment.storageId,
    });
    this.instance = await f.nodeInstance(this.node);
    this.executionToken = randomBytes(16).toString('hex');
    this.executionId = randomUUID();
    const executions = this.dataSource.getRepository(Execution);
    await executions.save(
      executions.create({
        id: this.executionId,
        workflowId: 'install',
        status: ExecutionStatus.Started,
        parameters: {},
        deploymentFk: this.deployment.storageId,
        token: createHash('sha256').update(this.executionToken).digest('hex'),
        tenantId: this.deployment.tenantId,
        creatorId: BOOTSTRAP_ADMIN_ID,
        visibility: Visibility.Tenant,
      }),
    );
  }

  private async listen(): Promise<void> {
    await this.bus.declare({ exchanges: [], queues: [this.replyQueueSpec] });
    await this.bus.consume(this.replyQueueName, async (message) => {
      if (message.correlationId)
        this.replies.set(message.correlationId, message.body as OperationReply);
    });
    await this.bus.consume(QUEUES.logs, async (message) => {
      this.logs.push(message.body as JsonMap);
    });
  }
}
