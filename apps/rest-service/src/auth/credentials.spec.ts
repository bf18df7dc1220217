import { parseBasicAuthorization, readCredentials } from './credentials';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('credentials', () => {
  it('decodes Basic credentials; the password may hold colons', () => {
    expect(parseBasicAuthorization(`Basic ${b64('admin:pa:ss')}`)).toEqual({
      username: 'admin',
      password: 'pa:ss',
    });
  });

  it('ignores usernames that do not start with a letter, and other schemes', () => {
    expect(parseBasicAuthorization(`Basic ${b64('1admin:x')}`)).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${b64('_admin:x')}`)).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${b64('no-colon')}`)).toBeUndefined();
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });

  it('reads the three credential headers, empty ones as absent', () => {
    const headers: Record<string, string> = {
      'execution-token': 'abc',
      'authentication-token': '',
      authorization: `Basic ${b64('u:p')}`,
    };
    expect(readCredentials((name) => headers[name])).toEqual({
      executionToken: 'abc',
      authenticationToken: undefined,
      basic: { username: 'u', password: 'p' },
    });
  });
});
