import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  type ContextType,
  type InstanceContext,
  type JsonMap,
  type JsonValue,
  type NodeContext,
  NonRecoverableError,
  type OperationContext,
  type OperationInfo,
  type OperationLogger,
  type RelationshipSubject,
} from '@nestify/plugin-sdk';
import type { OperationEvents } from '../events/operation-events';
import type { OperationTaskContext } from '../worker/task-message';
import { InstanceHandle } from './instance-handle';
import { ManagerClient, ManagerNode } from './manager-client';
import { renderTemplate } from './render-template';

/** A node instance and its node, read from the manager. */
export interface Subject {
  node: NodeContext;
  instance: InstanceHandle;
}

/** What the operation asked for when it ended besides returning (retry marks). */
export interface RetryRequest {
  message: string;
  retryAfter: number | null;
}

export function nodeContextOf(node: ManagerNode): NodeContext {
  return Object.freeze({
    id: node.id,
    name: node.id,
    type: node.type,
    typeHierarchy: node.type_hierarchy ?? [node.type],
    properties: Object.freeze(structuredClone(node.properties ?? {})),
    numberOfInstances: node.number_of_instances,
  });
}

/** Reads an instance and its node. */
export async function loadSubject(
  client: ManagerClient,
  deploymentId: string,
  instanceId: string,
): Promise<Subject> {
  const instance = await client.getNodeInstance(instanceId);
  const node = await client.getNode(deploymentId, instance.node_id);
  return {
    node: nodeContextOf(node),
    instance: new InstanceHandle(client, instance, node, deploymentId),
  };
}

export interface OperationContextParts {
  task: OperationTaskContext;
  rawContext: JsonMap;
  client: ManagerClient;
  events: OperationEvents;
  signal: AbortSignal;
  /** The instance the operation runs on (node-instance and relationship operations). */
  self?: Subject;
  /** The other end of a relationship operation. */
  related?: Subject;
}

/** The `ctx` an operation function receives (workflows.md §5), built from its task. */
export class OperationContextImpl implements OperationContext {
  readonly taskType = 'operation' as const;
  readonly logger: OperationLogger;
  readonly operation: OperationInfo;
  retryRequest: RetryRequest | null = null;
  private workDir: string | undefined;

  constructor(private readonly parts: OperationContextParts) {
    const events = parts.events;
    this.logger = {
      debug: (message) => events.log('debug', message),
      info: (message) => events.log('info', message),
      warning: (message) => events.log('warning', message),
      error: (message) => events.log('error', message),
    };
    const op = parts.task.operation ?? {};
    this.operation = {
      name: op.name ?? '',
      retryNumber: op.retry_number ?? 0,
      maxRetries: op.max_retries ?? 0,
      relationship: op.relationship ?? null,
      retry: (message = 'Operation requested retry', retryAfter?: number) => {
        this.retryRequest = { message, retryAfter: retryAfter ?? null };
      },
    };
  }

  private get task(): OperationTaskContext {
    return this.parts.task;
  }
  get type(): ContextType {
    if (this.task.related) return 'relationship-instance';
    return this.task.node_id ? 'node-instance' : 'deployment';
  }
  get taskId() {
    return this.task.task_id;
  }
  get taskName() {
    return this.task.task_name;
  }
  get taskTarget() {
    return this.task.task_target ?? null;
  }
  get executionId() {
    return this.task.execution_id;
  }
  get workflowId() {
    return this.task.workflow_id;
  }
  get tenantName() {
    return this.task.tenant.name;
  }
  get executionCreatorUsername() {
    return this.task.execution_creator_username ?? null;
  }
  get workflowParameters(): JsonMap {
    return this.task.workflow_parameters ?? {};
  }
  get resume() {
    return this.task.resume === true;
  }
  get blueprint() {
    return { id: this.task.blueprint_id ?? '' };
  }
  get deployment() {
    return { id: this.task.deployment_id ?? '' };
  }
  get signal() {
    return this.parts.signal;
  }
  /** The manager's REST API as this operation (built-in plugins only). */
  get managerClient(): ManagerClient {
    return this.parts.client;
  }

  get cloudifyContext(): Readonly<JsonMap> {
    return this.parts.rawContext;
  }

  get node(): NodeContext {
    return this.nodeInstanceSubject().node;
  }
  get instance(): InstanceContext {
    return this.nodeInstanceSubject().instance;
  }
  get source(): RelationshipSubject {
    return this.relationshipEnds().source;
  }
  get target(): RelationshipSubject {
    return this.relationshipEnds().target;
  }

  /** The instances whose runtime properties are stored when the operation ends. */
  get modifiableInstances(): InstanceHandle[] {
    return [this.parts.self, this.parts.related].flatMap((s) => (s ? [s.instance] : []));
  }

  sendEvent(text: string, args?: JsonValue): void {
    this.parts.events.event('plugin_event', text, args);
  }

  getResource(path: string): Promise<Buffer> {
    if (!this.task.blueprint_id) {
      throw new NonRecoverableError('this operation has no blueprint to read resources from');
    }
    return this.parts.client.getBlueprintResource(this.task.blueprint_id, path);
  }

  async getResourceAndRender(path: string, variables: JsonMap): Promise<string> {
    return renderTemplate((await this.getResource(path)).toString('utf8'), variables);
  }

  async downloadResource(path: string, targetPath?: string): Promise<string> {
    return this.saveAs(await this.getResource(path), path, targetPath);
  }

  async downloadResourceAndRender(
    path: string,
    variables: JsonMap,
    targetPath?: string,
  ): Promise<string> {
    const text = await this.getResourceAndRender(path, variables);
    return this.saveAs(Buffer.from(text, 'utf8'), path, targetPath);
  }

  /** A scratch folder of this operation, removed by `dispose`. */
  async scratchDir(): Promise<string> {
    this.workDir ??= await mkdtemp(join(tmpdir(), 'nestify-op-'));
    return this.workDir;
  }

  async dispose(): Promise<void> {
    if (this.workDir) await rm(this.workDir, { recursive: true, force: true });
  }

  private async saveAs(content: Buffer, path: string, targetPath?: string): Promise<string> {
    const target = targetPath ?? join(await this.scratchDir(), basename(path));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    return target;
  }

  private nodeInstanceSubject(): Subject {
    if (this.type !== 'node-instance' || !this.parts.self) {
      throw new NonRecoverableError(
        `ctx.node and ctx.instance are for node-instance operations (this is ${this.type})`,
      );
    }
    return this.parts.self;
  }

  private relationshipEnds(): { source: Subject; target: Subject } {
    const { self, related } = this.parts;
    if (!this.task.related || !self || !related) {
      throw new NonRecoverableError(
        `ctx.source and ctx.target are for relationship operations (this is ${this.type})`,
      );
    }
    return this.task.related.is_target
      ? { source: self, target: related }
      : { source: related, target: self };
  }
}
