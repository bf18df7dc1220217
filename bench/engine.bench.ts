import { parseBlueprint, prepareDeploymentPlan } from '@nestify/dsl';
import {
  executionRequest,
  InMemoryExecutionStore,
  ManualCancellation,
  runWorkflow,
  snapshotFromPlan,
} from '@nestify/workflows';
import type {
  DeploymentModificationData,
  DeploymentSnapshot,
  DeploymentStore,
  EventSink,
  GraphStore,
  NodeInstanceData,
  NodeInstancePatch,
  OperationDispatcher,
  OperationReply,
  OperationRequest,
  OperationStateChange,
  StoredGraph,
  StoredOperation,
  WorkflowEventMessage,
  WorkflowPorts,
} from '@nestify/workflows';
import { BenchReport, round } from './report';

/**
 * The task-graph engine alone: install then uninstall of N no-op node instances (N/2 hosts, one
 * app contained_in each host, every app connected_to one db) with in-memory ports that count
 * instead of keeping (BENCH_INSTANCES, default 200,2000,6000). `*_s` is wall time, `*_cpu_s`
 * the process CPU time (user + system) of the run, which is what matters on a busy machine.
 */
const SIZES = (process.env.BENCH_INSTANCES ?? '200,2000,6000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => size > 0);

function blueprint(hosts: number): string {
  const ops = (node: string) =>
    ['create', 'configure', 'start', 'stop', 'delete']
      .map((op) => `${op}: noop.ops.${node}_${op}`)
      .join(', ');
  return `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
plugins: { noop: { executor: central_deployment_agent, install: false } }
node_templates:
  host:
    type: cloudify.nodes.Compute
    properties: { agent_config: { install_method: none } }
    capabilities: { scalable: { properties: { default_instances: ${hosts} } } }
    interfaces: { cloudify.interfaces.lifecycle: { ${ops('host')} } }
  db:
    type: cloudify.nodes.Root
    interfaces: { cloudify.interfaces.lifecycle: { ${ops('db')} } }
  app:
    type: cloudify.nodes.Root
    relationships:
      - { type: cloudify.relationships.contained_in, target: host }
      - { type: cloudify.relationships.connected_to, target: db }
    interfaces: { cloudify.interfaces.lifecycle: { ${ops('app')} } }
`;
}

/** Instances by id; writes applied in place, nothing else kept. */
class CountingDeploymentStore implements DeploymentStore {
  writes = 0;
  private readonly instances = new Map<string, NodeInstanceData>();

  constructor(private readonly snapshot: DeploymentSnapshot) {
    for (const instance of snapshot.instances) this.instances.set(instance.id, instance);
  }

  async load(): Promise<DeploymentSnapshot> {
    return { ...this.snapshot, instances: await this.loadInstances() };
  }
  async loadInstances(): Promise<NodeInstanceData[]> {
    return [...this.instances.values()].map((instance) => ({ ...instance }));
  }
  async getInstance(id: string): Promise<NodeInstanceData | null> {
    const instance = this.instances.get(id);
    return instance ? { ...instance } : null;
  }
  async updateInstance(id: string, patch: NodeInstancePatch): Promise<void> {
    this.writes++;
    const instance = this.instances.get(id);
    if (!instance) return;
    if (patch.state !== undefined) instance.state = patch.state;
    if (patch.system_properties !== undefined) instance.system_properties = patch.system_properties;
    instance.version++;
  }
  startModification(): Promise<DeploymentModificationData> {
    throw new Error('not benchmarked');
  }
  finishModification(): Promise<void> {
    throw new Error('not benchmarked');
  }
  rollbackModification(): Promise<void> {
    throw new Error('not benchmarked');
  }
  async listStartedModifications(): Promise<DeploymentModificationData[]> {
    return [];
  }
}

class CountingGraphStore implements GraphStore {
  operations = 0;
  stateChanges = 0;
  recordCalls = 0;
  async find(): Promise<StoredGraph | null> {
    return null;
  }
  async create(_executionId: string, name: string, operations: StoredOperation[]) {
    this.operations += operations.length;
    return `graph_${name}`;
  }
  async addOperations(_graphId: string, operations: StoredOperation[]): Promise<void> {
    this.operations += operations.length;
  }
  recordStates(changes: OperationStateChange[]): void {
    this.recordCalls++;
    this.stateChanges += changes.length;
  }
  async flush(): Promise<void> {}
}

class CountingEventSink implements EventSink {
  items = 0;
  publishCalls = 0;
  publish(items: WorkflowEventMessage[]): void {
    this.publishCalls++;
    this.items += items.length;
  }
  async flush(): Promise<void> {}
}

/** Replies at once; a host's `get_state` answers true. */
class InstantDispatcher implements OperationDispatcher {
  sent = 0;
  send(request: OperationRequest): Promise<OperationReply> {
    this.sent++;
    const context = request.message.cloudify_task.kwargs.__cloudify_context;
    const operation = (context.operation as { name?: string } | undefined)?.name;
    return Promise.resolve({ ok: true, result: operation?.endsWith('.get_state') ? true : null });
  }
}

interface RunResult {
  wall: number;
  cpu: number;
  operations: number;
  sent: number;
  events: number;
  publishCalls: number;
  stateChanges: number;
  recordCalls: number;
}

async function run(
  workflow: 'install' | 'uninstall',
  deployments: CountingDeploymentStore,
): Promise<RunResult> {
  const graphs = new CountingGraphStore();
  const events = new CountingEventSink();
  const dispatcher = new InstantDispatcher();
  const ports: WorkflowPorts = {
    deployments,
    graphs,
    dispatcher,
    events,
    execution: new InMemoryExecutionStore(),
    cancellation: new ManualCancellation(),
    settings: {
      task_retries: 60,
      task_retry_interval: 15,
      subgraph_retries: 0,
      max_concurrent_tasks: 1000,
    },
  };
  const request = executionRequest(workflow, {}, { execution_id: `bench-${workflow}` });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const outcome = await runWorkflow(request, ports);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  if (outcome.status !== 'terminated') {
    throw new Error(`${workflow} ended ${outcome.status}: ${outcome.error ?? ''}`);
  }
  return {
    wall,
    cpu: (used.user + used.system) / 1e6,
    operations: graphs.operations,
    sent: dispatcher.sent,
    events: events.items,
    publishCalls: events.publishCalls,
    stateChanges: graphs.stateChanges,
    recordCalls: graphs.recordCalls,
  };
}

async function benchmark(size: number, report: BenchReport): Promise<void> {
  const hosts = Math.max(1, Math.floor(size / 2));
  const plan = await parseBlueprint(blueprint(hosts), '/tmp/nestify-bench/blueprint.yaml', {
    resourceExists: () => false,
  });
  const snapshot = snapshotFromPlan(prepareDeploymentPlan(plan, {}));
  const deployments = new CountingDeploymentStore(snapshot);
  global.gc?.();
  const install = await run('install', deployments);
  global.gc?.();
  const uninstall = await run('uninstall', deployments);
  const notDeleted = snapshot.instances.filter((i) => i.state !== 'deleted').length;
  if (notDeleted > 0) throw new Error(`${notDeleted} instances not deleted`);
  report.record({
    instances: snapshot.instances.length,
    tasks: install.operations,
    operations_sent: install.sent,
    install_s: round(install.wall),
    install_cpu_s: round(install.cpu),
    uninstall_tasks: uninstall.operations,
    uninstall_s: round(uninstall.wall),
    uninstall_cpu_s: round(uninstall.cpu),
    events: install.events + uninstall.events,
    event_publish_calls: install.publishCalls + uninstall.publishCalls,
    state_changes: install.stateChanges + uninstall.stateChanges,
    record_states_calls: install.recordCalls + uninstall.recordCalls,
    instance_writes: deployments.writes,
  });
}

async function main(): Promise<void> {
  const report = new BenchReport('engine');
  for (const size of SIZES) await benchmark(size, report);
  report.save();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
