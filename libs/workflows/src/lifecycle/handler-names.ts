/** Registry ids of the lifecycle handlers (Cloudify's import paths, kept for stored graphs). */
export const SUBGRAPH_ON_FAILURE = 'cloudify.plugins.lifecycle._SubgraphOnFailure';
export const SEND_NODE_EVENT_ON_ERROR = 'cloudify.plugins.lifecycle._SendNodeEventHandler';
export const RELATIONSHIP_SUBGRAPH_ON_FAILURE =
  'cloudify.plugins.lifecycle._relationship_subgraph_on_failure';
export const NODE_GET_STATE = 'cloudify.plugins.lifecycle._node_get_state_handler';
export const IGNORE_SUBGRAPH_FAILURE = 'cloudify.plugins.lifecycle._ignore_subgraph_failure';
export const IGNORE_TASK_FAILURE = 'cloudify.plugins.lifecycle._ignore_task_failure';
export const ON_HEAL_SUCCESS = 'cloudify.plugins.lifecycle._on_heal_success';
export const ON_HEAL_FAILURE = 'cloudify.plugins.lifecycle._on_heal_failure';
export const CHECK_STATUS_SUCCESS = 'cloudify.plugins.workflows._check_status_on_success';
export const CHECK_STATUS_FAILURE = 'cloudify.plugins.workflows._check_status_on_failure';
export const CHECK_DRIFT_SUCCESS = 'cloudify.plugins.workflows._check_drift_on_success';
export const CHECK_DRIFT_FAILURE = 'cloudify.plugins.workflows._check_drift_on_failure';
export const CHECK_STATUS_FAILURE_IGNORED =
  'cloudify.plugins.workflows._check_status_on_failure_ignored';
