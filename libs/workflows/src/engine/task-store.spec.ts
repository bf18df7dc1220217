import { runWorkflow } from '../run-workflow';
import {
  APP_DB_BLUEPRINT,
  errorReply,
  executionRequest,
  memoryPorts,
  snapshotFromBlueprint,
  succeedAll,
} from '../testing';
import type { JsonMap, OperationRequest, StoredGraph, StoredOperation, TaskState } from '../ports';
import { restoreGraph } from './task-store';

const CONFIGURE = 'cloudify.interfaces.lifecycle.configure';
const opOf = (r: OperationRequest) =>
  (r.message.cloudify_task.kwargs.__cloudify_context as JsonMap & { operation: { name: string } })
    .operation.name;

function stored(
  id: string,
  type: string,
  state: TaskState,
  dependencies: string[],
  extra: { containing_subgraph?: string; retried_task?: string } = {},
): StoredOperation {
  return {
    id,
    name: id,
    type,
    state,
    dependencies,
    parameters: {
      task_kwargs: {},
      current_retries: 0,
      total_retries: 3,
      retry_interval: 0,
      send_task_events: true,
      info: null,
      error: null,
      containing_subgraph: extra.containing_subgraph ?? null,
      on_success: null,
      on_failure: null,
      retried_task: extra.retried_task ?? null,
    },
  };
}

describe('restoreGraph', () => {
  // A subgraph whose task `a` failed twice; its last retry `a2` was reset to pending on resume.
  const graph: StoredGraph = {
    id: 'graph-1',
    name: 'install',
    execution_id: 'exec-1',
    operations: [
      stored('sub', 'SubgraphTask', 'pending', []),
      stored('a', 'LocalWorkflowTask', 'failed', ['sub'], { containing_subgraph: 'sub' }),
      stored('next', 'LocalWorkflowTask', 'pending', ['sub', 'a'], { containing_subgraph: 'sub' }),
      stored('a1', 'LocalWorkflowTask', 'failed', [], {
        containing_subgraph: 'sub',
        retried_task: 'a',
      }),
      stored('a2', 'LocalWorkflowTask', 'pending', [], {
        containing_subgraph: 'sub',
        retried_task: 'a1',
      }),
    ],
  };

  it('makes a restored retry wait for its subgraph and its dependents wait for the latest retry', () => {
    const restored = restoreGraph(graph, { totalRetries: 0, retryInterval: 0 });
    expect([...restored.tasks.keys()]).toEqual(['sub', 'next', 'a2']);
    const dependenciesOf = (id: string) =>
      restored
        .getTask(id)
        ?.dependencyLinks.toArray()
        .map((t) => t.id);
    expect(dependenciesOf('a2')).toEqual(['sub']);
    expect(dependenciesOf('next')).toEqual(['sub', 'a2']);
    expect([...restored.ready].map((t) => t.id)).toEqual(['sub']);
  });
});

describe('resuming a task that used up its retries', () => {
  it('sends its latest retry once, then the tasks after it', async () => {
    const snapshot = await snapshotFromBlueprint(APP_DB_BLUEPRINT);
    const ports = memoryPorts(snapshot);
    ports.settings.task_retries = 3;
    ports.dispatcher.responder = (r) =>
      opOf(r) === CONFIGURE ? errorReply('RecoverableError', 'boom') : succeedAll(r);
    expect((await runWorkflow(executionRequest('install'), ports)).status).toBe('failed');
    expect(ports.dispatcher.requests.filter((r) => opOf(r) === CONFIGURE)).toHaveLength(4);
    const before = ports.dispatcher.requests.length;

    ports.graphs.resetForResume('exec-1');
    ports.dispatcher.responder = succeedAll;
    const outcome = await runWorkflow(executionRequest('install', {}, { resume: true }), ports);

    expect(outcome.status).toBe('terminated');
    const app = snapshot.instances.find((i) => i.node_id === 'app')?.id ?? '';
    expect(ports.dispatcher.sent().slice(before)).toEqual([
      `${app}:${CONFIGURE}`,
      `${app}:cloudify.interfaces.lifecycle.start`,
    ]);
    expect(ports.deployments.instance(app).state).toBe('started');
  });
});
