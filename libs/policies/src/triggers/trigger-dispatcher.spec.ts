import { Firing, PolicyEngine } from '../engine/policy-engine';
import { metric, planWith } from '../engine/test-plans';
import { THRESHOLD } from '../types/threshold.type';
import { DecisionReport, TriggerDispatcher } from './trigger-dispatcher';
import { EXECUTE_WORKFLOW, executionRequestOf, TriggerRequest } from './trigger-type';

function setup(properties: object) {
  const firings: Firing[] = [];
  const engine = new PolicyEngine({ onFiring: (f) => firings.push(f) });
  engine.load(planWith(THRESHOLD, { service: 'cpu.total.user', threshold: 80, ...properties }));
  const requests: TriggerRequest[] = [];
  const active = new Set<string>();
  const states: Record<string, string> = { vm_1: 'started', vm_2: 'uninitialized' };
  const reports: DecisionReport[] = [];
  let clock = 0;
  const dispatcher = new TriggerDispatcher(
    {
      nodeInstanceState: async (_t, _d, id) => states[id],
      executionActive: async (_t, id) => active.has(id),
      triggerType: (name) =>
        name === EXECUTE_WORKFLOW
          ? {
              name,
              fire: async (request) => {
                requests.push(request);
                const id = `exec-${requests.length}`;
                active.add(id);
                return { executionId: id };
              },
            }
          : undefined,
    },
    (report) => reports.push(report),
    () => clock * 1000,
  );
  const fire = async (instance = 'vm_1') => {
    engine.observe(metric(clock, 99, { nodeInstanceId: instance }), clock * 1000);
    engine.observe(metric(clock + 0.5, 10, { nodeInstanceId: instance }), clock * 1000);
    firings.splice(0).forEach((f) => dispatcher.dispatch(f));
    await dispatcher.idle();
    clock += 1;
  };
  return { fire, requests, reports, active, tick: (s: number) => (clock += s) };
}

describe('TriggerDispatcher', () => {
  it('starts the workflow with parameters resolved from the event', async () => {
    const { fire, requests } = setup({ interval_between_workflows: -1 });
    await fire();
    expect(executionRequestOf(requests[0])).toEqual({
      deployment_id: 'd',
      workflow_id: 'heal',
      force: false,
      allow_custom_parameters: false,
      parameters: { node_instance_id: 'vm_1', diagnose_value: 'threshold-breached' },
    });
  });

  it('starts nothing new for a target while its execution is active', async () => {
    const { fire, requests, reports, active } = setup({ interval_between_workflows: -1 });
    await fire();
    await fire();
    expect(requests).toHaveLength(1);
    expect(reports[1].decision).toBe('skipped_running');
    active.clear();
    await fire();
    expect(requests).toHaveLength(2);
  });

  it('waits interval_between_workflows between triggers of one target', async () => {
    const { fire, requests, reports, active, tick } = setup({ interval_between_workflows: 30 });
    await fire();
    active.clear();
    await fire();
    expect(reports[1].decision).toBe('skipped_interval');
    tick(30);
    await fire();
    expect(requests).toHaveLength(2);
  });

  it('skips node instances that are not started', async () => {
    const { fire, requests, reports } = setup({});
    await fire('vm_2');
    await fire('vm_3');
    expect(requests).toHaveLength(0);
    expect(reports.map((r) => r.decision)).toEqual(['skipped_not_started', 'skipped_not_started']);
  });
});
