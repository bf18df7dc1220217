import {
  describeOwned,
  parseUserTimestamp,
  validatePassword,
  validatePasswordHash,
} from './user-rules';

describe('user rules', () => {
  it('accepts passwords of 5 to 256 characters', () => {
    expect(validatePassword('12345')).toBe('12345');
    expect(() => validatePassword('')).toThrow('The password is empty');
    expect(() => validatePassword('1234')).toThrow(/too short/);
    expect(() => validatePassword('x'.repeat(257))).toThrow(/too long/);
  });

  it('accepts only bcrypt hashes as pre-hashed passwords', () => {
    const hash = '$2b$10$' + 'a'.repeat(53);
    expect(validatePasswordHash(hash)).toBe(hash);
    expect(() => validatePasswordHash('pbkdf2_sha256$abc')).toThrow(/bcrypt/);
  });

  it('reads timestamps only with a time zone', () => {
    expect(parseUserTimestamp('2024-01-02T03:04:05.000Z', 'created_at')?.toISOString()).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    expect(parseUserTimestamp(undefined, 'created_at')).toBeUndefined();
    expect(() => parseUserTimestamp('2024-01-02T03:04:05', 'created_at')).toThrow(/time zone/);
  });

  it('lists what a user owns', () => {
    expect(describeOwned([{ table: 'blueprints', tenant: 't', count: 2 }])).toBe(
      '2 blueprints in tenant `t`',
    );
  });
});
