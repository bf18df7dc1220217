import { isLiveNodeInstanceState, NodeInstanceState } from './node-instance-state';

describe('isLiveNodeInstanceState', () => {
  it('treats every state but uninitialized and deleted as holding live resources', () => {
    expect(isLiveNodeInstanceState(NodeInstanceState.Uninitialized)).toBe(false);
    expect(isLiveNodeInstanceState(NodeInstanceState.Deleted)).toBe(false);
    expect(isLiveNodeInstanceState(NodeInstanceState.Started)).toBe(true);
    expect(isLiveNodeInstanceState('my_custom_state')).toBe(true);
  });
});
