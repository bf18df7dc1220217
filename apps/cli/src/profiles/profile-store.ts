import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One manager the CLI talks to, as `nestify profiles use` stored it. */
export interface Profile {
  name: string;
  manager_url: string;
  tenant: string;
  username?: string;
  password?: string;
  token?: string;
}

interface ProfilesFile {
  active: string | null;
  profiles: Record<string, Profile>;
}

/** Where profiles live: `$NESTIFY_CLI_HOME`, else `~/.nestify`. */
export function cliHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.NESTIFY_CLI_HOME || join(homedir(), '.nestify');
}

/**
 * The profiles in `<home>/profiles.json`. The file holds passwords and tokens, so it is written
 * with mode 0600 in a 0700 folder (and re-chmodded in case it was created looser).
 */
export class ProfileStore {
  readonly file: string;

  constructor(private readonly home: string = cliHome()) {
    this.file = join(home, 'profiles.json');
  }

  private read(): ProfilesFile {
    if (!existsSync(this.file)) return { active: null, profiles: {} };
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<ProfilesFile>;
    return { active: parsed.active ?? null, profiles: parsed.profiles ?? {} };
  }

  private write(data: ProfilesFile): void {
    mkdirSync(this.home, { recursive: true, mode: 0o700 });
    writeFileSync(this.file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(this.file, 0o600);
  }

  list(): { active: string | null; profiles: Profile[] } {
    const data = this.read();
    return { active: data.active, profiles: Object.values(data.profiles) };
  }

  get(name: string): Profile | undefined {
    return this.read().profiles[name];
  }

  active(): Profile | undefined {
    const data = this.read();
    return data.active ? data.profiles[data.active] : undefined;
  }

  /** Saves the profile (replacing one of the same name) and makes it the active one. */
  use(profile: Profile): void {
    const data = this.read();
    data.profiles[profile.name] = profile;
    data.active = profile.name;
    this.write(data);
  }

  /** Answers whether there was such a profile. */
  delete(name: string): boolean {
    const data = this.read();
    if (!data.profiles[name]) return false;
    delete data.profiles[name];
    if (data.active === name) data.active = null;
    this.write(data);
    return true;
  }
}

/** A profile's default name: the manager's host and port. */
export function profileNameOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
