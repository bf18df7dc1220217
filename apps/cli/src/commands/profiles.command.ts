import { Command } from 'commander';
import { withOutputOptions } from '../manager/connection';
import { clientFor } from '../manager/connection';
import { UsageError } from '../inputs';
import { Printer } from '../output/printer';
import { Profile, ProfileStore, profileNameOf } from '../profiles/profile-store';

const COLUMNS = ['active', 'name', 'manager_url', 'username', 'tenant', 'auth'];

interface UseOptions {
  username?: string;
  password?: string;
  token?: string;
  tenant: string;
  name?: string;
  skipCheck?: boolean;
  json?: boolean;
  verbose?: boolean;
}

/** A profile as shown: never the password or token itself. */
function shown(profile: Profile, active: string | null) {
  return {
    active: profile.name === active ? '*' : '',
    name: profile.name,
    manager_url: profile.manager_url,
    username: profile.username ?? null,
    tenant: profile.tenant,
    auth: profile.token ? 'token' : profile.username ? 'password' : 'none',
  };
}

/** `nestify profiles use|list|show|delete`: the managers the CLI knows, in ~/.nestify. */
export function profilesCommand(): Command {
  const profiles = new Command('profiles').description(
    'the managers this CLI talks to (stored under $NESTIFY_CLI_HOME or ~/.nestify)',
  );
  withOutputOptions(
    profiles
      .command('use <url>')
      .description('store a manager profile, check that it logs in, and make it the active one')
      .option('-u, --username <name>', 'username')
      .option('-p, --password <password>', 'password of the user')
      .option('--token <token>', 'an API token (ctok-…) instead of a username and password')
      .option('-t, --tenant <name>', 'the tenant', 'default_tenant')
      .option('--name <name>', "the profile's name (default: the manager's host:port)")
      .option('--skip-check', 'store it without logging in'),
  ).action(async (url: string, options: UseOptions) => {
    if (!/^https?:\/\//.test(url)) throw new UsageError(`'${url}' is not an http(s) URL`);
    if (options.username && options.password === undefined)
      throw new UsageError('--username needs --password');
    const profile: Profile = {
      name: options.name ?? profileNameOf(url),
      manager_url: url.replace(/\/+$/, ''),
      tenant: options.tenant,
      ...(options.token
        ? { token: options.token }
        : options.username
          ? { username: options.username, password: options.password }
          : {}),
    };
    const out = new Printer(Boolean(options.json));
    if (!options.skipCheck) {
      const user = await clientFor(profile, options.verbose).users.current();
      out.info(
        `Logged in to ${profile.manager_url} as ${user.username} (tenant ${profile.tenant})`,
      );
    }
    const store = new ProfileStore();
    store.use(profile);
    out.info(`Using profile ${profile.name} (stored in ${store.file})`);
    if (out.json) out.writeJson(shown(profile, profile.name));
  });
  withOutputOptions(profiles.command('list').description('list the stored profiles')).action(
    (options: { json?: boolean }) => {
      const { active, profiles: all } = new ProfileStore().list();
      new Printer(Boolean(options.json)).list(
        'Profiles',
        all.map((profile) => shown(profile, active)),
        COLUMNS,
      );
    },
  );
  withOutputOptions(
    profiles.command('show [name]').description('show a profile (the active one unless named)'),
  ).action((name: string | undefined, options: { json?: boolean }) => {
    const store = new ProfileStore();
    const profile = name ? store.get(name) : store.active();
    if (!profile) throw new UsageError(name ? `no profile named '${name}'` : 'no active profile');
    new Printer(Boolean(options.json)).object(shown(profile, store.list().active), COLUMNS);
  });
  withOutputOptions(profiles.command('delete <name>').description('forget a profile')).action(
    (name: string, options: { json?: boolean }) => {
      if (!new ProfileStore().delete(name)) throw new UsageError(`no profile named '${name}'`);
      new Printer(Boolean(options.json)).info(`Profile ${name} deleted`);
    },
  );
  return profiles;
}
