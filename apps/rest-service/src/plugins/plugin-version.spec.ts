import {
  compareVersions,
  InvalidVersionSpecError,
  parseVersionSpecs,
  versionMatches,
} from './plugin-version';

describe('compareVersions', () => {
  it.each([
    ['1.0', '1.0.0', 0],
    ['1.10', '1.9', 1],
    ['2.0.0', '10.0.0', -1],
    ['1.0', '1.0rc1', 1],
    ['1.0.0-beta', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('versionMatches', () => {
  const matches = (version: string | null, ...specs: string[]) =>
    versionMatches(version, parseVersionSpecs(specs));

  it('accepts anything without a spec', () => {
    expect(matches('1.0')).toBe(true);
    expect(matches(null)).toBe(true);
  });

  it('takes a bare version as exactly that version', () => {
    expect(matches('1.2.0', '1.2.0')).toBe(true);
    expect(matches('1.2', '1.2.0')).toBe(false);
  });

  it('applies comparison operators, ranges and wildcards', () => {
    expect(matches('1.5', '>=1.0,<2')).toBe(true);
    expect(matches('2.0', '>=1.0,<2')).toBe(false);
    expect(matches('1.5', '>=1.0', '<1.4')).toBe(false);
    expect(matches('1.2.7', '==1.2.*')).toBe(true);
    expect(matches('1.3', '==1.2.*')).toBe(false);
    expect(matches('1.3', '!=1.3')).toBe(false);
    expect(matches('1.4.5', '~=1.4.2')).toBe(true);
    expect(matches('1.5.0', '~=1.4.2')).toBe(false);
    expect(matches('1.9', '~=1.4')).toBe(true);
    expect(matches('2.0', '~=1.4')).toBe(false);
    expect(matches(null, '>=1')).toBe(false);
  });

  it.each(['', '>=', '>=1.*', 'a b'])('refuses the spec %j', (spec) => {
    expect(() => parseVersionSpecs([spec])).toThrow(InvalidVersionSpecError);
  });
});
