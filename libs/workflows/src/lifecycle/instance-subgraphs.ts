import { handlerRef } from '../engine/handlers';
import { parallel } from '../engine/task-graph';
import type { SubgraphTask, Task } from '../engine/tasks';
import type { WfNodeInstance, WfRelationship } from '../context/model';
import {
  NODE_GET_STATE,
  ON_HEAL_FAILURE,
  ON_HEAL_SUCCESS,
  RELATIONSHIP_SUBGRAPH_ON_FAILURE,
  SEND_NODE_EVENT_ON_ERROR,
  SUBGRAPH_ON_FAILURE,
} from './handler-names';
import {
  eventAndState,
  GraphScope,
  optionalOperation,
  skipNop,
  stateAndEvent,
  Step,
} from './steps';

const LIFECYCLE = 'cloudify.interfaces.lifecycle';
const REL_LIFECYCLE = 'cloudify.interfaces.relationship_lifecycle';
const AGENT = 'cloudify.interfaces.cloudify_agent';
const SCRIPT_INSTALL_METHODS = ['init_script', 'provided', 'plugin'];

/** Source and target operations of one relationship (NOPs included). */
export function relationshipOperations(rel: WfRelationship, operation: string): Task[] {
  return [rel.executeSourceOperation(operation), rel.executeTargetOperation(operation)];
}

/**
 * The relationship-operation block of an instance: per target (consecutive relationships to the
 * same target grouped) the source and target ops in parallel; groups in sequence (reversed for
 * unlink). Its own subgraph, whose failure fails the instance's subgraph.
 */
export function relationshipsSubgraph(
  scope: GraphScope,
  instance: WfNodeInstance,
  operation: string,
  reverse = false,
): SubgraphTask | null {
  const groups: Task[][] = [];
  let lastTarget: string | null = null;
  for (const rel of instance.relationships) {
    const ops = relationshipOperations(rel, operation).filter((task) => !task.isNop());
    if (rel.targetId !== lastTarget) groups.push([]);
    lastTarget = rel.targetId;
    groups[groups.length - 1].push(...ops);
  }
  const steps = groups.filter((group) => group.length > 0).map((group) => parallel(...group));
  if (steps.length === 0) return null;
  if (reverse) steps.reverse();
  const subgraph = scope.subgraph(`${operation}_subgraph`);
  subgraph.onFailure = handlerRef(RELATIONSHIP_SUBGRAPH_ON_FAILURE);
  scope.graph
    .within(subgraph)
    .sequence()
    .add(...steps);
  return subgraph;
}

function hostPostStart(instance: WfNodeInstance, dryRun: boolean): Step[] {
  const method = instance.node.installMethod;
  const getState = instance.executeOperation('cloudify.interfaces.host.get_state');
  if (!getState.isNop() && !dryRun) getState.onSuccess = handlerRef(NODE_GET_STATE);
  const steps: Step[] = [getState];
  if (method !== 'none') {
    steps.push(
      instance.sendEvent('Creating agent'),
      instance.executeOperation(`${AGENT}.create`),
      instance.sendEvent('Agent created'),
    );
    if (method === 'plugin' || method === 'init_script') {
      steps.push(
        instance.sendEvent('Waiting for agent to start'),
        instance.executeOperation(`${AGENT}.start`),
        instance.sendEvent('Agent started'),
      );
    }
  }
  steps.push(
    instance.executeOperation('cloudify.interfaces.monitoring_agent.install'),
    instance.executeOperation('cloudify.interfaces.monitoring_agent.start'),
  );
  return steps;
}

export function hostPreStop(instance: WfNodeInstance): Step[] {
  const method = instance.node.installMethod;
  const steps: Step[] = [
    instance.executeOperation('cloudify.interfaces.monitoring_agent.stop'),
    instance.executeOperation('cloudify.interfaces.monitoring_agent.uninstall'),
  ];
  if (method === 'none') return steps;
  const stop = SCRIPT_INSTALL_METHODS.includes(method) ? `${AGENT}.stop_amqp` : `${AGENT}.stop`;
  steps.push(
    instance.sendEvent('Stopping agent'),
    instance.executeOperation(stop),
    instance.sendEvent('Deleting agent'),
    instance.executeOperation(`${AGENT}.delete`),
    instance.sendEvent('Agent deleted'),
  );
  return steps;
}

/** The install subgraph `install_<id>` of one instance (workflows.md §2.1). */
export function installInstanceSubgraph(
  scope: GraphScope,
  instance: WfNodeInstance,
  dryRun: boolean,
): SubgraphTask {
  const subgraph = scope.subgraph(`install_${instance.id}`);
  const inner: GraphScope = {
    graph: scope.graph,
    subgraph: (name) => scope.graph.within(subgraph).subgraph(name),
  };
  const state = instance.state;
  const event = (text: string) => instance.sendEvent(text);
  const op = (name: string) => instance.executeOperation(`${LIFECYCLE}.${name}`);
  const createdOrLater = [
    'started',
    'starting',
    'created',
    'creating',
    'configured',
    'configuring',
  ];

  let validation: Step[] = [];
  let precreate: Step[] = [];
  if (!createdOrLater.includes(state)) {
    validation = optionalOperation(
      instance,
      'cloudify.interfaces.validation.create',
      'Validating node instance before creation',
      'Node instance validated before creation',
    );
    precreate = optionalOperation(
      instance,
      `${LIFECYCLE}.precreate`,
      'Precreating node instance',
      'Node instance precreated',
    );
  }
  let create: Step[] = [];
  if (!['started', 'starting', 'created', 'configuring', 'configured'].includes(state)) {
    create = skipNop(
      op('create'),
      [eventAndState(instance, 'Creating node instance', 'creating')],
      [eventAndState(instance, 'Node instance created', 'created')],
    );
  }
  let preconf: Step[] = [];
  let configure: Step[] = [];
  if (!['started', 'starting', 'configured'].includes(state)) {
    preconf = skipNop(
      relationshipsSubgraph(inner, instance, `${REL_LIFECYCLE}.preconfigure`),
      [event('Pre-configuring relationships')],
      [event('Relationships pre-configured')],
    );
    configure = skipNop(
      op('configure'),
      [stateAndEvent(instance, 'configuring', 'Configuring node instance')],
      [stateAndEvent(instance, 'configured', 'Node instance configured')],
    );
  }
  let postconf: Step[] = [];
  let start: Step[] = [];
  let hostStart: Step[] = [];
  let poststart: Step[] = [];
  let monitoring: Step[] = [];
  let establish: Step[] = [];
  if (state !== 'started') {
    postconf = skipNop(
      relationshipsSubgraph(inner, instance, `${REL_LIFECYCLE}.postconfigure`),
      [event('Post-configuring relationships')],
      [event('Relationships post-configured')],
    );
    start = skipNop(op('start'), [stateAndEvent(instance, 'starting', 'Starting node instance')]);
    if (instance.isCompute) hostStart = hostPostStart(instance, dryRun);
    poststart = optionalOperation(
      instance,
      `${LIFECYCLE}.poststart`,
      'Poststarting node instance',
      'Node instance poststarted',
    );
    monitoring = skipNop(instance.executeOperation('cloudify.interfaces.monitoring.start'));
    establish = skipNop(
      relationshipsSubgraph(inner, instance, `${REL_LIFECYCLE}.establish`),
      [event('Establishing relationships')],
      [event('Relationships established')],
    );
  }
  const anything = [
    validation,
    precreate,
    create,
    preconf,
    configure,
    postconf,
    start,
    hostStart,
    poststart,
    monitoring,
    establish,
  ].some((steps) => steps.length > 0);
  const or = (steps: Step[], text: string): Step[] => (steps.length > 0 ? steps : [event(text)]);
  const steps: Step[] = anything
    ? [
        instance.setState('initializing'),
        ...or(validation, 'Validating node instance before creation: nothing to do'),
        ...or(precreate, 'Precreating node instance: nothing to do'),
        ...or(create, 'Creating node instance: nothing to do'),
        ...preconf,
        ...or(configure, 'Configuring node instance: nothing to do'),
        ...postconf,
        ...or(start, 'Starting node instance: nothing to do'),
        ...hostStart,
        ...or(poststart, 'Poststarting node instance: nothing to do'),
        ...monitoring,
        ...establish,
        stateAndEvent(instance, 'started', 'Node instance started'),
      ]
    : [stateAndEvent(instance, 'started', 'Node instance started (nothing to do)')];
  scope.graph
    .within(subgraph)
    .sequence()
    .add(...steps);
  subgraph.onFailure = handlerRef(SUBGRAPH_ON_FAILURE, {
    instance_id: instance.id,
    on_retry: 'reinstall',
  });
  return subgraph;
}

/** Gives every non-subgraph task below `subgraph` the "Ignoring task … failure" handler. */
export function ignoreFailuresWithEvent(subgraph: SubgraphTask, instance: WfNodeInstance): void {
  for (const child of subgraph.children.values()) {
    if (child.isSubgraph) ignoreFailuresWithEvent(child as SubgraphTask, instance);
    else child.onFailure = handlerRef(SEND_NODE_EVENT_ON_ERROR, { instance_id: instance.id });
  }
}

function stopSteps(instance: WfNodeInstance): Step[] {
  const validation = optionalOperation(
    instance,
    'cloudify.interfaces.validation.delete',
    'Validating node instance before deletion',
    'Node instance validated before deletion',
  );
  return [
    stateAndEvent(instance, 'stopping', 'Stopping node instance'),
    ...(validation.length > 0
      ? validation
      : [instance.sendEvent('Validating node instance after deletion: nothing to do')]),
    ...skipNop(instance.executeOperation('cloudify.interfaces.monitoring.stop')),
    ...optionalOperation(
      instance,
      `${LIFECYCLE}.prestop`,
      'Prestopping node instance',
      'Node instance prestopped',
    ),
    ...(instance.isCompute ? hostPreStop(instance) : []),
  ];
}

function deleteSteps(
  scope: GraphScope,
  instance: WfNodeInstance,
): { unlink: Step[]; del: Step[]; postdelete: Step[] } {
  return {
    unlink: skipNop(
      relationshipsSubgraph(scope, instance, `${REL_LIFECYCLE}.unlink`, true),
      [instance.sendEvent('Unlinking relationships')],
      [instance.sendEvent('Relationships unlinked')],
    ),
    del: skipNop(instance.executeOperation(`${LIFECYCLE}.delete`), [
      stateAndEvent(instance, 'deleting', 'Deleting node instance'),
    ]),
    postdelete: optionalOperation(
      instance,
      `${LIFECYCLE}.postdelete`,
      'Postdeleting node instance',
      'Node instance postdeleted',
    ),
  };
}

/** The uninstall subgraph `<id>` of one instance (workflows.md §2.2). */
export function uninstallInstanceSubgraph(
  scope: GraphScope,
  instance: WfNodeInstance,
  ignoreFailure: boolean,
): SubgraphTask {
  const subgraph = scope.subgraph(instance.id);
  const inner: GraphScope = {
    graph: scope.graph,
    subgraph: (name) => scope.graph.within(subgraph).subgraph(name),
  };
  const state = instance.state;
  let stop: Step[];
  if (['stopped', 'deleting', 'deleted', 'uninitialized', 'configured'].includes(state)) {
    stop = [instance.sendEvent(`Stop: instance already ${state}`)];
  } else {
    const stopOp = skipNop(
      instance.executeOperation(`${LIFECYCLE}.stop`),
      [],
      [instance.sendEvent('Stopped node instance')],
    );
    stop = [
      ...stopSteps(instance),
      ...(stopOp.length > 0
        ? stopOp
        : [instance.sendEvent('Stopped node instance: nothing to do')]),
    ];
  }
  const stopped = ['stopped', 'deleting', 'deleted'].includes(state)
    ? []
    : [instance.setState('stopped')];
  let removal: Step[];
  if (['deleted', 'uninitialized'].includes(state)) {
    removal = [instance.sendEvent(`Delete: instance already ${state}`)];
  } else {
    const { unlink, del, postdelete } = deleteSteps(inner, instance);
    removal = [
      ...unlink,
      ...(del.length > 0 ? del : [instance.sendEvent('Deleting node instance: nothing to do')]),
      ...postdelete,
    ];
  }
  const finish =
    state === 'deleted' ? [] : [stateAndEvent(instance, 'deleted', 'Deleted node instance')];
  scope.graph
    .within(subgraph)
    .sequence()
    .add(...stop, ...stopped, ...removal, ...finish);
  if (ignoreFailure) ignoreFailuresWithEvent(subgraph, instance);
  else {
    subgraph.onFailure = handlerRef(SUBGRAPH_ON_FAILURE, {
      instance_id: instance.id,
      on_retry: 'uninstall',
    });
  }
  return subgraph;
}

/** `reinstall_<id>`: an event, the uninstall subgraph, then the install subgraph. */
export function reinstallInstanceSubgraph(
  scope: GraphScope,
  instance: WfNodeInstance,
  dryRun: boolean,
): SubgraphTask {
  const subgraph = scope.subgraph(`reinstall_${instance.id}`);
  const builder = scope.graph.within(subgraph);
  const inner: GraphScope = { graph: scope.graph, subgraph: (name) => builder.subgraph(name) };
  const uninstall = uninstallInstanceSubgraph(inner, instance, false);
  const install = installInstanceSubgraph(inner, instance, dryRun);
  builder
    .sequence()
    .add(
      instance.sendEvent('Node lifecycle failed. Attempting to re-run node lifecycle'),
      uninstall,
      install,
    );
  subgraph.onFailure = handlerRef(SUBGRAPH_ON_FAILURE, {
    instance_id: instance.id,
    on_retry: 'reinstall',
  });
  return subgraph;
}

/** The rollback subgraph of an instance left half-installed (workflows.md §2.3). */
export function rollbackInstanceSubgraph(
  scope: GraphScope,
  instance: WfNodeInstance,
  ignoreFailure: boolean,
): SubgraphTask {
  const subgraph = scope.subgraph(instance.id);
  const inner: GraphScope = {
    graph: scope.graph,
    subgraph: (name) => scope.graph.within(subgraph).subgraph(name),
  };
  const state = instance.state;
  let stop: Step[];
  if (state !== 'starting') {
    stop = [instance.sendEvent(`Rollback Stop: nothing to do, instance state is ${state}`)];
  } else {
    const stopOp = skipNop(
      instance.executeOperation(`${LIFECYCLE}.stop`),
      [],
      [instance.sendEvent('Stopped node instance')],
    );
    stop = [
      ...stopSteps(instance),
      ...(stopOp.length > 0
        ? stopOp
        : [instance.sendEvent('Stopped node instance: nothing to do')]),
      instance.setState('configured'),
    ];
  }
  let removal: Step[];
  if (!['creating', 'configuring'].includes(state)) {
    removal = [instance.sendEvent(`Rollback Delete: nothing to do, instance state is ${state}`)];
  } else {
    const { unlink, del, postdelete } = deleteSteps(inner, instance);
    removal = [
      ...unlink,
      ...(del.length > 0 ? del : [instance.sendEvent('Deleting node instance: nothing to do')]),
      ...postdelete,
      instance.setState('uninitialized'),
    ];
  }
  const finish = ['creating', 'configuring', 'starting'].includes(state)
    ? [instance.sendEvent('Rollbacked node instance')]
    : [];
  scope.graph
    .within(subgraph)
    .sequence()
    .add(...stop, ...removal, ...finish);
  if (ignoreFailure) ignoreFailuresWithEvent(subgraph, instance);
  return subgraph;
}

/** `heal_<id>`: preheal, heal, postheal, with handlers recording the outcome. */
export function healInstanceSubgraph(scope: GraphScope, instance: WfNodeInstance): SubgraphTask {
  const subgraph = scope.subgraph(`heal_${instance.id}`);
  scope.graph
    .within(subgraph)
    .sequence()
    .add(
      instance.sendEvent('Healing node instance'),
      instance.executeOperation(`${LIFECYCLE}.preheal`),
      instance.executeOperation(`${LIFECYCLE}.heal`),
      instance.executeOperation(`${LIFECYCLE}.postheal`),
      instance.sendEvent('Node instance healed'),
    );
  subgraph.info.instance_id = instance.id;
  subgraph.onSuccess = handlerRef(ON_HEAL_SUCCESS, { instance_id: instance.id });
  subgraph.onFailure = handlerRef(ON_HEAL_FAILURE, { instance_id: instance.id });
  return subgraph;
}
