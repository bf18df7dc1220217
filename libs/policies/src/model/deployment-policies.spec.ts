import { policiesOfPlan } from './deployment-policies';

describe('policiesOfPlan', () => {
  it('lists each policy with its group members flattened and its triggers', () => {
    const specs = policiesOfPlan({
      tenantName: 't',
      deploymentId: 'd',
      policyTypes: { 'cloudify.policies.types.threshold': { source: 'x', properties: {} } },
      policyTriggers: {},
      groups: {
        inner: { members: ['db'] },
        outer: {
          members: ['vm', 'inner', 'vm'],
          policies: {
            hot: {
              type: 'cloudify.policies.types.threshold',
              properties: { threshold: 80 },
              triggers: {
                scale: {
                  type: 'cloudify.policies.triggers.execute_workflow',
                  parameters: { workflow: 'scale' },
                },
              },
            },
          },
        },
      },
    });
    expect(specs).toEqual([
      expect.objectContaining({
        groupName: 'outer',
        policyName: 'hot',
        nodeNames: ['vm', 'db'],
        properties: { threshold: 80 },
        triggers: [
          {
            name: 'scale',
            type: 'cloudify.policies.triggers.execute_workflow',
            parameters: { workflow: 'scale' },
          },
        ],
        typeDefinition: { source: 'x', properties: {} },
      }),
    ]);
  });

  it('gives nothing for a plan without groups', () => {
    expect(
      policiesOfPlan({
        tenantName: 't',
        deploymentId: 'd',
        groups: null,
        policyTypes: null,
        policyTriggers: null,
      }),
    ).toEqual([]);
  });
});
