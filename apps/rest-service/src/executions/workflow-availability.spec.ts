import { isWorkflowAvailable } from './workflow-availability';

const shape = (instanceStates: string[], nodeTypes: string[] = []) => ({
  instanceStates,
  nodeTypes,
});
const install = { node_instances_active: ['none', 'partial'] };
const uninstall = { node_instances_active: ['all', 'partial'] };

describe('isWorkflowAvailable', () => {
  it('lets install run on a fresh or partly installed deployment, not a fully installed one', () => {
    expect(isWorkflowAvailable(install, shape(['uninitialized', 'uninitialized']))).toBe(true);
    expect(isWorkflowAvailable(install, shape(['started', 'creating']))).toBe(true);
    expect(isWorkflowAvailable(install, shape(['started', 'started']))).toBe(false);
  });

  it('lets uninstall run on an installed or partly installed deployment only', () => {
    expect(isWorkflowAvailable(uninstall, shape(['started']))).toBe(true);
    expect(isWorkflowAvailable(uninstall, shape([]))).toBe(true);
    expect(isWorkflowAvailable(uninstall, shape(['started', 'stopped']))).toBe(true);
    expect(isWorkflowAvailable(uninstall, shape(['uninitialized', 'deleted']))).toBe(false);
  });

  it('checks `available` and required node types; no rules means available', () => {
    expect(isWorkflowAvailable(null, shape([]))).toBe(true);
    expect(isWorkflowAvailable({ available: false }, shape([]))).toBe(false);
    expect(
      isWorkflowAvailable(
        { node_types_required: ['cloudify.nodes.Compute'] },
        shape([], ['cloudify.nodes.Root']),
      ),
    ).toBe(false);
    expect(
      isWorkflowAvailable(
        { node_types_required: ['cloudify.nodes.Root'] },
        shape([], ['cloudify.nodes.Root']),
      ),
    ).toBe(true);
  });
});
