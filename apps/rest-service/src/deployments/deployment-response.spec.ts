import { Visibility } from '@nestify/common';
import {
  deploymentStatusOf,
  DeploymentRow,
  installationStatusOf,
  isWorkflowAvailable,
  renderWorkflows,
  toDeploymentResponse,
} from './deployment-response';

const INSTALL = {
  plugin: 'default_workflows',
  operation: 'cloudify.plugins.workflows.install',
  parameters: { node_ids: { default: [] } },
  availability_rules: { node_instances_active: ['none', 'partial'] },
};
const UNINSTALL = { ...INSTALL, availability_rules: { node_instances_active: ['all', 'partial'] } };

describe('isWorkflowAvailable', () => {
  const facts = (instanceStates: string[], nodeTypes: string[] = []) => ({
    instanceStates,
    nodeTypes,
  });

  it('is true without rules', () => {
    expect(isWorkflowAvailable({}, facts(['started']))).toBe(true);
  });

  it.each([
    [['uninitialized'], true, false],
    [['started'], false, true],
    [['started', 'uninitialized'], true, true],
    [[], true, true],
  ])('instance states %j: install %s, uninstall %s', (states, install, uninstall) => {
    expect(isWorkflowAvailable(INSTALL, facts(states))).toBe(install);
    expect(isWorkflowAvailable(UNINSTALL, facts(states))).toBe(uninstall);
  });

  it('reads `available` and `node_types_required`', () => {
    expect(isWorkflowAvailable({ availability_rules: { available: false } }, facts([]))).toBe(
      false,
    );
    const needsVm = { availability_rules: { node_types_required: ['cloudify.nodes.Compute'] } };
    expect(isWorkflowAvailable(needsVm, facts([], ['cloudify.nodes.Root']))).toBe(false);
    expect(isWorkflowAvailable(needsVm, facts([], ['cloudify.nodes.Compute']))).toBe(true);
  });
});

describe('renderWorkflows', () => {
  it('renders each workflow with its availability', () => {
    const rendered = renderWorkflows(
      { install: INSTALL, custom: { plugin: 'p', operation: 'op' } },
      { instanceStates: ['uninitialized'], nodeTypes: [] },
    );
    expect(rendered).toEqual([
      { name: 'install', ...INSTALL, is_cascading: false, is_available: true },
      {
        name: 'custom',
        plugin: 'p',
        operation: 'op',
        parameters: {},
        is_cascading: false,
        is_available: true,
        availability_rules: null,
      },
    ]);
  });

  it('shows one all-null entry per workflow without facts (a list without _get_data)', () => {
    const rendered = renderWorkflows({ install: INSTALL, uninstall: UNINSTALL });
    expect(rendered).toHaveLength(2);
    expect(Object.values(rendered[0]).every((value) => value === null)).toBe(true);
  });

  it('is empty for no workflows', () => {
    expect(renderWorkflows(null, { instanceStates: [], nodeTypes: [] })).toEqual([]);
  });
});

describe('statuses', () => {
  it('installation is active only when every instance is started (or there are none)', () => {
    expect(installationStatusOf([])).toBe('active');
    expect(installationStatusOf(['started', 'started'])).toBe('active');
    expect(installationStatusOf(['started', 'uninitialized'])).toBe('inactive');
  });

  it('deployment status follows the latest execution, then the installation', () => {
    expect(deploymentStatusOf('started', 'active' as never)).toBe('in_progress');
    expect(deploymentStatusOf('failed', 'active' as never)).toBe('requires_attention');
    expect(deploymentStatusOf('terminated', 'inactive' as never)).toBe('requires_attention');
    expect(deploymentStatusOf('terminated', 'active' as never)).toBe('good');
  });
});

describe('toDeploymentResponse', () => {
  const row: DeploymentRow = {
    _storage_id: 7,
    _tenant_id: 1,
    id: 'd1',
    display_name: 'D one',
    blueprint_id: 'bp',
    description: null,
    inputs: { a: 1 },
    outputs: {},
    capabilities: {},
    groups: {},
    policy_types: {},
    policy_triggers: {},
    scaling_groups: {},
    workflows: { install: INSTALL },
    permalink: null,
    runtime_only_evaluation: false,
    created_at: new Date(Date.UTC(2024, 7, 12, 15, 16, 13)),
    updated_at: null,
    site_name: null,
    installation_status: null,
    deployment_status: 'requires_attention',
    latest_execution: 'e1',
    create_execution: 'e1',
    latest_execution_status: 'terminated',
    latest_execution_workflow_id: 'create_deployment_environment',
    latest_execution_total_operations: null,
    latest_execution_finished_operations: null,
    sub_services_status: null,
    sub_environments_status: null,
    sub_services_count: 0,
    sub_environments_count: 0,
    has_sub_deployments: false,
    environment_type: '',
    resource_tags: null,
    drifted_instances: 0,
    unavailable_instances: 0,
    visibility: Visibility.Private,
    tenant_name: 't',
    created_by: 'alice',
  };

  it("maps a row to Cloudify's fields: summarised status, inactive default, legacy visibility fields", () => {
    const label = {
      key: 'env',
      value: 'prod',
      createdAt: row.created_at as Date,
      creatorName: 'bob',
    };
    const response = toDeploymentResponse(row, [label], ['g1']);
    expect(response).toMatchObject({
      id: 'd1',
      created_at: '2024-08-12T15:16:13.000Z',
      updated_at: null,
      installation_status: 'inactive',
      latest_execution_status: 'completed',
      labels: [
        { key: 'env', value: 'prod', created_at: '2024-08-12T15:16:13.000Z', created_by: 'bob' },
      ],
      deployment_groups: ['g1'],
      workdir_zip: null,
      resource_availability: 'private',
      private_resource: true,
    });
    expect(response).not.toHaveProperty('_storage_id');
  });
});
