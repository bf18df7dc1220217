import { UsageError } from '../inputs';
import { mergeParameters, plannedWorkflow } from './workflow-parameters';

const declared = {
  operation: { type: 'string' },
  operation_kwargs: { default: {} },
  node_ids: { default: [] },
  note: { required: false },
};

describe('workflow parameters in local mode', () => {
  it('fills declared defaults under the given values', () => {
    expect(
      mergeParameters('execute_operation', declared, { operation: 'a.b', node_ids: ['x'] }, false),
    ).toEqual({
      operation: 'a.b',
      operation_kwargs: {},
      node_ids: ['x'],
    });
  });

  it('refuses undeclared parameters unless allowed, and missing required ones', () => {
    expect(() => mergeParameters('wf', declared, { operation: 'a', extra: 1 }, false)).toThrow(
      /does not declare the parameters extra/,
    );
    expect(mergeParameters('wf', declared, { operation: 'a', extra: 1 }, true).extra).toBe(1);
    expect(() => mergeParameters('wf', declared, {}, false)).toThrow(
      /needs the parameters operation/,
    );
  });

  it('finds a workflow of the plan or names the ones there are', () => {
    const plan = {
      workflows: { install: { operation: 'cloudify.plugins.workflows.install', parameters: {} } },
      outputs: {},
      capabilities: {},
    };
    expect(plannedWorkflow(plan, 'install')).toEqual({
      mapping: 'cloudify.plugins.workflows.install',
      parameters: {},
    });
    expect(() => plannedWorkflow(plan, 'deploy')).toThrow(UsageError);
    expect(() => plannedWorkflow(plan, 'deploy')).toThrow(/has: install/);
  });
});
