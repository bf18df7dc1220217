import { parseDeploymentLabels } from './deployment-labels';

describe('parseDeploymentLabels', () => {
  it('reads 1-entry mappings with a value or a list of values, lower-casing keys', () => {
    expect(parseDeploymentLabels([{ Env: 'prod' }, { team: ['a', 'b'] }])).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'a' },
      { key: 'team', value: 'b' },
    ]);
    expect(parseDeploymentLabels(undefined)).toEqual([]);
  });

  it.each([
    ['not a list', 'x'],
    ['two keys in one entry', [{ a: 'b', c: 'd' }]],
    ['a non-mapping entry', ['a']],
    ['a duplicate', [{ a: 'b' }, { A: 'b' }]],
    ['a reserved key', [{ 'csys-nope': 'x' }]],
  ])('refuses %s with bad_parameters_error', (_name, raw) => {
    expect(() => parseDeploymentLabels(raw)).toThrow(
      expect.objectContaining({ errorCode: 'bad_parameters_error' }),
    );
  });
});
