/**
 * States the built-in lifecycle workflows move a node instance through. The column is free text:
 * custom workflows may set any string, so these are the well-known values, not a closed set.
 */
export enum NodeInstanceState {
  Uninitialized = 'uninitialized',
  Initializing = 'initializing',
  Creating = 'creating',
  Created = 'created',
  Configuring = 'configuring',
  Configured = 'configured',
  Starting = 'starting',
  Started = 'started',
  Stopping = 'stopping',
  Stopped = 'stopped',
  Deleting = 'deleting',
  Deleted = 'deleted',
}

export const NODE_INSTANCE_STATES: readonly NodeInstanceState[] = Object.values(NodeInstanceState);

/** An instance in one of these holds no live resources (deleting its deployment is safe). */
export const INACTIVE_NODE_INSTANCE_STATES: ReadonlySet<NodeInstanceState> = new Set([
  NodeInstanceState.Uninitialized,
  NodeInstanceState.Deleted,
]);

export function isLiveNodeInstanceState(state: string): boolean {
  return !(INACTIVE_NODE_INSTANCE_STATES as ReadonlySet<string>).has(state);
}
