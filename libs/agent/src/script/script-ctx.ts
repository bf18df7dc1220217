import type {
  InstanceContext,
  JsonMap,
  NodeContext,
  RelationshipSubject,
} from '@nestify/plugin-sdk';
import type { OperationContextImpl } from '../context/operation-context';
import { ctxObject } from './ctx-walker';
import { ScriptOutcome } from './script-outcome';

const nodeObject = (node: NodeContext) =>
  ctxObject({
    id: node.id,
    name: node.name,
    type: node.type,
    type_hierarchy: node.typeHierarchy,
    properties: node.properties,
    number_of_instances: node.numberOfInstances,
  });

const instanceObject = (instance: InstanceContext) =>
  ctxObject({
    id: instance.id,
    get runtime_properties() {
      return instance.runtimeProperties;
    },
    get host_ip() {
      return instance.hostIp();
    },
    index: instance.index,
    relationships: instance.relationships.map((r) => ({
      type: r.type,
      type_hierarchy: r.typeHierarchy,
      target: { node: { id: r.targetName }, instance: { id: r.targetId } },
    })),
    update: () => instance.update().then(() => null),
    refresh: (force?: unknown) => instance.refresh(force === true).then(() => null),
  });

const subjectObject = (subject: RelationshipSubject) =>
  ctxObject({ node: nodeObject(subject.node), instance: instanceObject(subject.instance) });

/**
 * The ctx tree a script walks through the proxy, with Cloudify's snake_case names. Node, instance
 * and relationship ends are built on access, so asking for the wrong kind fails like in plugins.
 */
export function scriptCtx(ctx: OperationContextImpl, outcome: ScriptOutcome) {
  const log =
    (level: 'debug' | 'info' | 'warning' | 'error') =>
    (...parts: unknown[]) => {
      ctx.logger[level](parts.map(String).join(' '));
      return null;
    };
  return ctxObject({
    type: ctx.type,
    task_type: ctx.taskType,
    task_id: ctx.taskId,
    task_name: ctx.taskName,
    task_target: ctx.taskTarget,
    execution_id: ctx.executionId,
    workflow_id: ctx.workflowId,
    tenant_name: ctx.tenantName,
    blueprint: ctxObject({ id: ctx.blueprint.id }),
    deployment: ctxObject({ id: ctx.deployment.id }),
    get node() {
      return nodeObject(ctx.node);
    },
    get instance() {
      return instanceObject(ctx.instance);
    },
    get source() {
      return subjectObject(ctx.source);
    },
    get target() {
      return subjectObject(ctx.target);
    },
    operation: ctxObject({
      name: ctx.operation.name,
      retry_number: ctx.operation.retryNumber,
      max_retries: ctx.operation.maxRetries,
      relationship: ctx.operation.relationship,
      retry: (message?: unknown, retryAfter?: unknown) =>
        outcome.retry(message === undefined ? undefined : String(message), retryAfter),
    }),
    logger: ctxObject({
      debug: log('debug'),
      info: log('info'),
      warning: log('warning'),
      warn: log('warning'),
      error: log('error'),
    }),
    send_event: (text: unknown) => {
      ctx.sendEvent(String(text));
      return null;
    },
    get_resource: async (path: string) => (await ctx.getResource(path)).toString('utf8'),
    get_resource_and_render: (path: string, variables?: JsonMap) =>
      ctx.getResourceAndRender(path, variables ?? {}),
    download_resource: (path: string, target?: string) =>
      ctx.downloadResource(path, typeof target === 'string' ? target : undefined),
    download_resource_and_render: (path: string, variables?: JsonMap, target?: string) =>
      ctx.downloadResourceAndRender(path, variables ?? {}, target),
    returns: (value: unknown) => outcome.returns((value ?? null) as never),
    abort_operation: (message?: unknown) =>
      outcome.abort(message === undefined ? undefined : String(message)),
    retry_operation: (message?: unknown, retryAfter?: unknown) =>
      outcome.retry(message === undefined ? undefined : String(message), retryAfter),
  });
}
