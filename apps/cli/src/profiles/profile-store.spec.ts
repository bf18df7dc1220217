import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliHome, ProfileStore, profileNameOf } from './profile-store';

describe('ProfileStore', () => {
  let home: string;

  beforeEach(() => {
    home = join(mkdtempSync(join(tmpdir(), 'nestify-profiles-')), 'home');
  });

  afterEach(() => rmSync(join(home, '..'), { recursive: true, force: true }));

  it('keeps profiles in a 0600 file in a 0700 folder, the last used one active', () => {
    const store = new ProfileStore(home);
    store.use({ name: 'a', manager_url: 'http://a', tenant: 't', username: 'u', password: 'p' });
    store.use({ name: 'b', manager_url: 'http://b', tenant: 't', token: 'ctok-1' });
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(store.active()?.name).toBe('b');
    expect(new ProfileStore(home).get('a')?.password).toBe('p');
    expect(store.delete('b')).toBe(true);
    expect(store.delete('b')).toBe(false);
    expect(store.active()).toBeUndefined();
    expect(store.list().profiles.map((p) => p.name)).toEqual(['a']);
  });

  it('lives under NESTIFY_CLI_HOME when set', () => {
    expect(cliHome({ NESTIFY_CLI_HOME: '/x' })).toBe('/x');
    expect(cliHome({})).toMatch(/\.nestify$/);
    expect(profileNameOf('http://10.0.0.1:8100/')).toBe('10.0.0.1:8100');
  });
});
