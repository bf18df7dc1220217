import {
  formatTokenValue,
  hashTokenSecret,
  parseTokenValue,
  randomToken,
  secretMatches,
} from './token-value';

describe('token values', () => {
  it('generates ids and secrets of letters and digits', () => {
    expect(randomToken(10)).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(randomToken(40)).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(randomToken(40)).not.toBe(randomToken(40));
  });

  it('round-trips ctok-<id>-<secret>, masking the secret unless given', () => {
    expect(formatTokenValue('AbCdEfGhIj', 's3cret')).toBe('ctok-AbCdEfGhIj-s3cret');
    expect(formatTokenValue('AbCdEfGhIj')).toBe('ctok-AbCdEfGhIj-********');
    expect(parseTokenValue('ctok-AbCdEfGhIj-s3cret')).toEqual({
      id: 'AbCdEfGhIj',
      secret: 's3cret',
    });
  });

  it('keeps dashes after the second one in the secret', () => {
    expect(parseTokenValue('ctok-id-a-b')).toEqual({ id: 'id', secret: 'a-b' });
  });

  it('finds no structure in values without three parts', () => {
    expect(parseTokenValue('ctok-invalidstructure')).toBeUndefined();
    expect(parseTokenValue('deadbeef')).toBeUndefined();
  });

  it('checks a secret against its stored hash only', () => {
    const stored = hashTokenSecret('right');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches('right', stored)).toBe(true);
    expect(secretMatches('wrong', stored)).toBe(false);
    expect(secretMatches('right', 'not-a-hash')).toBe(false);
  });
});
