/** States an agent reports through its lifecycle. */
export enum AgentState {
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
  Restarting = 'restarting',
  Restarted = 'restarted',
  Upgrading = 'upgrading',
  Upgraded = 'upgraded',
  Failed = 'failed',
  NonResponsive = 'nonresponsive',
  Restored = 'restored',
}

export const AGENT_STATES: readonly AgentState[] = Object.values(AgentState);
