import {
  BLUEPRINT_STATES,
  BlueprintState,
  END_BLUEPRINT_STATES,
  FAILED_BLUEPRINT_STATES,
  isEndBlueprintState,
  isFailedBlueprintState,
} from './blueprint-state';

describe('blueprint states', () => {
  it('end in uploaded or in one of the failed states', () => {
    expect([...END_BLUEPRINT_STATES].sort()).toEqual(
      [...FAILED_BLUEPRINT_STATES, BlueprintState.Uploaded].sort(),
    );
    expect(
      [...FAILED_BLUEPRINT_STATES].every(
        (state) => state.startsWith('failed_') || state === 'invalid',
      ),
    ).toBe(true);
    const inProgress = BLUEPRINT_STATES.filter((state) => !END_BLUEPRINT_STATES.has(state));
    expect(inProgress).toEqual(['pending', 'validating', 'uploading', 'extracting', 'parsing']);
  });

  it('are recognised from stored text', () => {
    expect(isFailedBlueprintState('invalid')).toBe(true);
    expect(isFailedBlueprintState('uploaded')).toBe(false);
    expect(isFailedBlueprintState(null)).toBe(false);
    expect(isEndBlueprintState('uploaded')).toBe(true);
    expect(isEndBlueprintState('parsing')).toBe(false);
  });
});
