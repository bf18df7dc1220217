import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../inputs';
import { ProfileStore } from '../profiles/profile-store';
import { credentialsOf, resolveProfile } from './connection';

describe('resolveProfile', () => {
  let dir: string;
  let store: ProfileStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestify-connection-'));
    store = new ProfileStore(dir);
    store.use({ name: 'p', manager_url: 'http://m', tenant: 't', username: 'u', password: 'pw' });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the active profile and applies the overrides', () => {
    expect(resolveProfile({}, store)).toMatchObject({ manager_url: 'http://m', tenant: 't' });
    const byToken = resolveProfile({ token: 'ctok-1', tenant: 'other' }, store);
    expect(credentialsOf(byToken)).toEqual({ token: 'ctok-1' });
    expect(byToken.tenant).toBe('other');
    const byUser = resolveProfile({ user: 'v', password: 'x', manager: 'http://n' }, store);
    expect(credentialsOf(byUser)).toEqual({ username: 'v', password: 'x' });
    expect(byUser.manager_url).toBe('http://n');
  });

  it('asks for a profile when there is no manager', () => {
    store.delete('p');
    expect(() => resolveProfile({}, store)).toThrow(UsageError);
    expect(() => resolveProfile({ profile: 'nope' }, store)).toThrow("no profile named 'nope'");
  });
});
