import { metric } from '../engine/test-plans';
import { eventFields, resolveTriggerParameters } from './trigger-parameters';

describe('resolveTriggerParameters', () => {
  it('replaces {get_property: [SELF, field]} with the firing event field, deeply', () => {
    const event = eventFields({ diagnose: 'heart-beat-failure', metric: metric(5, 1) });
    expect(
      resolveTriggerParameters(
        {
          workflow: 'heal',
          workflow_parameters: {
            node_instance_id: { get_property: ['SELF', 'node_id'] },
            diagnose_value: { get_property: ['SELF', 'diagnose'] },
            list: [{ get_property: ['SELF', 'service'] }, { get_property: ['SELF', 'nope'] }],
            other: { get_property: ['vm', 'ip'] },
          },
        },
        event,
      ),
    ).toEqual({
      workflow: 'heal',
      workflow_parameters: {
        node_instance_id: 'vm_1',
        diagnose_value: 'heart-beat-failure',
        list: ['cpu.total.user', null],
        other: { get_property: ['vm', 'ip'] },
      },
    });
  });
});
