import { foldPatches } from './deployment-store';

describe('foldPatches', () => {
  it('keeps the last state and remembers passing through configured and started', () => {
    expect(
      foldPatches([{ state: 'configuring' }, { state: 'configured' }, { state: 'starting' }]),
    ).toEqual({
      state: 'starting',
      systemProperties: null,
      reachedConfigured: true,
      reachedStarted: false,
    });
  });

  it('lets a later system_properties replacement win over earlier state rules', () => {
    const folded = foldPatches([
      { state: 'started' },
      { system_properties: { status: { ok: false } } },
    ]);
    expect(folded).toEqual({
      state: 'started',
      systemProperties: { status: { ok: false } },
      reachedConfigured: false,
      reachedStarted: false,
    });
  });
});
