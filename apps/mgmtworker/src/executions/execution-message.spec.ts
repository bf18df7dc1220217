import { RejectMessageError } from '@nestify/messaging';
import { parseWorkflowMessage } from './execution-message';

const start = {
  id: 'e1',
  execution_creator: 0,
  cloudify_task: {
    kwargs: {
      node_ids: ['vm'],
      __cloudify_context: {
        type: 'workflow',
        execution_id: 'e1',
        workflow_id: 'install',
        task_name: 'cloudify.plugins.workflows.install',
        tenant: { name: 'default_tenant' },
        deployment_id: 'd1',
        blueprint_id: 'bp',
        execution_token: 'tok',
        rest_host: ['10.0.0.5'],
        rest_port: 8101,
        dry_run: true,
        resume: false,
      },
    },
  },
};

describe('parseWorkflowMessage', () => {
  it('reads a start request: parameters apart from the context, token and REST URL', () => {
    const parsed = parseWorkflowMessage(start);
    expect(parsed).toMatchObject({
      kind: 'start',
      token: 'tok',
      restUrl: 'http://10.0.0.5:8101',
      request: {
        execution_id: 'e1',
        workflow_id: 'install',
        parameters: { node_ids: ['vm'] },
        deployment_id: 'd1',
        tenant_name: 'default_tenant',
        dry_run: true,
        resume: false,
        wait_after_fail: 600,
      },
    });
  });

  it('reads cancel requests and dead-letters anything else', () => {
    expect(
      parseWorkflowMessage({ action: 'kill', execution_id: 'e1', tenant: { name: 't' } }),
    ).toEqual({ kind: 'cancel', action: 'kill', executionId: 'e1', tenantName: 't' });
    // A kill carries the execution's new token (the REST service revoked the old one).
    expect(
      parseWorkflowMessage({
        action: 'kill',
        execution_id: 'e1',
        tenant: { name: 't' },
        execution_token: 'new-token',
      }),
    ).toMatchObject({ kind: 'cancel', action: 'kill', token: 'new-token' });
    expect(() => parseWorkflowMessage({ action: 'explode', execution_id: 'e1' })).toThrow(
      RejectMessageError,
    );
    expect(() => parseWorkflowMessage({ hello: 1 })).toThrow(RejectMessageError);
    const noToken = JSON.parse(JSON.stringify(start));
    delete noToken.cloudify_task.kwargs.__cloudify_context.execution_token;
    expect(() => parseWorkflowMessage(noToken)).toThrow(RejectMessageError);
  });
});
