import { Visibility } from '@nestify/common';
import {
  checkVisibilityChange,
  isPythonFalsy,
  readSchema,
  serializeSecretValue,
} from './secret-rules';

describe('secret rules', () => {
  it('reads "no value" the way Cloudify does', () => {
    for (const value of [undefined, null, '', 0, false, [], {}])
      expect(isPythonFalsy(value)).toBe(true);
    for (const value of ['x', 1, true, [0], { a: 1 }]) expect(isPythonFalsy(value)).toBe(false);
  });

  it('only widens visibility', () => {
    expect(() => checkVisibilityChange('k', Visibility.Private, Visibility.Global)).not.toThrow();
    expect(() => checkVisibilityChange('k', Visibility.Tenant, Visibility.Tenant)).not.toThrow();
    expect(() => checkVisibilityChange('k', Visibility.Global, Visibility.Tenant)).toThrow(
      "Can't set the visibility of `k` to tenant because it already has wider visibility",
    );
  });

  it('stores strings as they are and schema values as validated JSON', () => {
    expect(serializeSecretValue('plain', null)).toBe('plain');
    expect(() => serializeSecretValue({ a: 1 }, null)).toThrow(/must be a string/);
    const schema = { type: 'object', required: ['a'] };
    expect(serializeSecretValue({ a: [1] }, schema)).toBe('{"a":[1]}');
    try {
      serializeSecretValue({ b: 1 }, schema);
      throw new Error('expected a conflict');
    } catch (error) {
      expect(error).toMatchObject({
        errorCode: 'conflict_error',
        message: "Error validating secret value: 'a' is a required property",
      });
    }
  });

  it('treats an empty schema as none and refuses an invalid one', () => {
    expect(readSchema({})).toBeNull();
    expect(readSchema(null)).toBeNull();
    expect(() => readSchema({ type: 'nope' })).toThrow(/Invalid secret JSON schema/);
  });
});
