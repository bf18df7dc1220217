/** `availability_rules` of a workflow (types.yaml / the blueprint). */
export interface AvailabilityRules {
  available?: boolean | null;
  node_instances_active?: string[] | null;
  node_types_required?: string[] | null;
  [key: string]: unknown;
}

/** What the rules look at: the deployment's node-instance states and node types. */
export interface DeploymentShape {
  instanceStates: string[];
  nodeTypes: string[];
}

const INACTIVE_STATES = new Set(['uninitialized', 'deleted']);

/**
 * `node_instances_active`: `all` = every instance started (or none exist), `partial` = not all
 * started and not all inactive, `none` = no instance started. One matching value is enough.
 */
function instancesMatch(rules: string[], states: string[]): boolean {
  const distinct = new Set(states);
  const allStarted = distinct.size === 0 || (distinct.size === 1 && distinct.has('started'));
  return rules.some((rule) => {
    if (rule === 'all') return allStarted;
    if (rule === 'partial') {
      const onlyStarted = distinct.size === 1 && distinct.has('started');
      return !onlyStarted && ![...distinct].every((state) => INACTIVE_STATES.has(state));
    }
    if (rule === 'none') return !distinct.has('started');
    return false;
  });
}

/** Whether a workflow may run on a deployment in this shape (rules it does not know pass). */
export function isWorkflowAvailable(
  rules: AvailabilityRules | null | undefined,
  shape: DeploymentShape,
): boolean {
  if (!rules) return true;
  if (rules.available !== undefined && rules.available !== null && rules.available !== true) {
    return false;
  }
  const active = rules.node_instances_active;
  if (active && !instancesMatch(active, shape.instanceStates)) return false;
  const required = rules.node_types_required;
  if (required?.length && !required.some((type) => shape.nodeTypes.includes(type))) return false;
  return true;
}
