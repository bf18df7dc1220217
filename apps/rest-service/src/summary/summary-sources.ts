import { ColumnMapping } from '../common/list/list-query-builder';

/**
 * What can be summarized per resource (rest-api.md §2.1): the fields a summary may group by
 * (`_target_field`, `_sub_field`) and the equality filters it accepts, each as SQL over `t`.
 */
export interface SummarySource {
  /** The count's key in each item, e.g. `deployments`. */
  type: string;
  permission: string;
  /** FROM clause; the summarized table is aliased `t`, its tenant `tn`, its creator `cr`. */
  from: string;
  groupFields: Readonly<Record<string, string>>;
  filters: Readonly<Record<string, ColumnMapping>>;
}

const OWNERSHIP = 'JOIN tenants tn ON tn.id = t._tenant_id JOIN users cr ON cr.id = t._creator_id';
const COMMON_FILTERS = {
  visibility: { expression: 't.visibility' },
  tenant_name: { expression: 'tn.name' },
  created_by: { expression: 'cr.username' },
};
const COMMON_FIELDS = { tenant_name: 'tn.name', visibility: 't.visibility' };

export const SUMMARY_SOURCES = {
  deployments: {
    type: 'deployments',
    permission: 'deployment_list',
    from: `deployments t ${OWNERSHIP}
      LEFT JOIN blueprints b ON b._storage_id = t._blueprint_fk
      LEFT JOIN sites s ON s._storage_id = t._site_fk`,
    groupFields: {
      blueprint_id: 'b.id',
      ...COMMON_FIELDS,
      site_name: 's.name',
      deployment_status: 't.deployment_status',
    },
    filters: {
      id: { expression: 't.id' },
      display_name: { expression: 't.display_name' },
      blueprint_id: { expression: 'b.id' },
      site_name: { expression: 's.name' },
      deployment_status: { expression: 't.deployment_status' },
      installation_status: { expression: 't.installation_status' },
      ...COMMON_FILTERS,
    },
  },
  nodes: {
    type: 'nodes',
    permission: 'node_list',
    from: `nodes t ${OWNERSHIP} JOIN deployments d ON d._storage_id = t._deployment_fk`,
    groupFields: { deployment_id: 'd.id', ...COMMON_FIELDS },
    filters: {
      id: { expression: 't.id' },
      deployment_id: { expression: 'd.id' },
      type: { expression: 't.type' },
      host_id: { expression: 't.host_id' },
      ...COMMON_FILTERS,
    },
  },
  node_instances: {
    type: 'node_instances',
    permission: 'node_instance_list',
    from: `node_instances t ${OWNERSHIP}
      JOIN nodes n ON n._storage_id = t._node_fk
      JOIN deployments d ON d._storage_id = n._deployment_fk`,
    groupFields: {
      deployment_id: 'd.id',
      index: 't.index',
      node_id: 'n.id',
      state: 't.state',
      host_id: 't.host_id',
      ...COMMON_FIELDS,
    },
    filters: {
      id: { expression: 't.id' },
      deployment_id: { expression: 'd.id' },
      node_id: { expression: 'n.id' },
      state: { expression: 't.state' },
      host_id: { expression: 't.host_id' },
      index: { expression: 't.index', kind: 'number' },
      ...COMMON_FILTERS,
    },
  },
  executions: {
    type: 'executions',
    permission: 'execution_list',
    from: `executions t ${OWNERSHIP} LEFT JOIN deployments d ON d._storage_id = t._deployment_fk`,
    groupFields: {
      status: 't.status',
      // Cloudify shows `terminated` as `completed`.
      status_display: `CASE WHEN t.status = 'terminated' THEN 'completed' ELSE t.status END`,
      blueprint_id: 't.blueprint_id',
      deployment_id: 'd.id',
      workflow_id: 't.workflow_id',
      ...COMMON_FIELDS,
    },
    filters: {
      id: { expression: 't.id' },
      status: { expression: 't.status' },
      workflow_id: { expression: 't.workflow_id' },
      deployment_id: { expression: 'd.id' },
      blueprint_id: { expression: 't.blueprint_id' },
      is_system_workflow: { expression: 't.is_system_workflow', kind: 'boolean' },
      is_dry_run: { expression: 't.is_dry_run', kind: 'boolean' },
      ...COMMON_FILTERS,
    },
  },
  blueprints: {
    type: 'blueprints',
    permission: 'blueprint_list',
    from: `blueprints t ${OWNERSHIP}`,
    groupFields: { ...COMMON_FIELDS },
    filters: {
      id: { expression: 't.id' },
      state: { expression: 't.state' },
      is_hidden: { expression: 't.is_hidden', kind: 'boolean' },
      ...COMMON_FILTERS,
    },
  },
} satisfies Record<string, SummarySource>;

/** Fields of execution schedules (not stored by nestify: their summary is always empty). */
export const EXECUTION_SCHEDULE_FIELDS = [
  'deployment_id',
  'workflow_id',
  'tenant_name',
  'visibility',
];
