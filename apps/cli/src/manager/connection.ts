import { Command } from 'commander';
import { Credentials, HttpExchange, NestifyClient } from '@nestify/client';
import { UsageError } from '../inputs';
import { Printer } from '../output/printer';
import { Profile, ProfileStore } from '../profiles/profile-store';

/** Options every command that talks to a manager takes (cfy's `-t`, `--json`, `-v`, plus overrides). */
export interface ConnectionOptions {
  json?: boolean;
  verbose?: boolean;
  profile?: string;
  manager?: string;
  user?: string;
  password?: string;
  token?: string;
  tenant?: string;
}

/** Adds `--json` and `-v/--verbose`. */
export function withOutputOptions(command: Command): Command {
  return command
    .option('--json', 'print JSON (lists: the items array) for scripts')
    .option('-v, --verbose', 'print each HTTP request and response to stderr');
}

/** Adds the output options and the per-invocation overrides of the active profile. */
export function withConnectionOptions(command: Command): Command {
  return withOutputOptions(command)
    .option('--profile <name>', 'use this profile instead of the active one')
    .option('--manager <url>', "the manager's URL (overrides the profile)")
    .option('--user <name>', 'username (overrides the profile)')
    .option('--password <password>', 'password (overrides the profile)')
    .option('--token <token>', 'an API token (overrides the profile)')
    .option('-t, --tenant <name>', 'the tenant (overrides the profile)');
}

/** The profile the options point at, with their overrides applied. */
export function resolveProfile(options: ConnectionOptions, store = new ProfileStore()): Profile {
  let profile: Profile | undefined;
  if (options.profile) {
    profile = store.get(options.profile);
    if (!profile) throw new UsageError(`no profile named '${options.profile}'`);
  } else profile = store.active();
  const url = options.manager ?? profile?.manager_url;
  if (!url) {
    throw new UsageError(
      'no manager: run `nestify profiles use <url> -u <user> -p <password>` or give --manager',
    );
  }
  const overridden: Profile = {
    name: profile?.name ?? 'command line',
    manager_url: url,
    tenant: options.tenant ?? profile?.tenant ?? 'default_tenant',
    username: profile?.username,
    password: profile?.password,
    token: profile?.token,
  };
  if (options.token) {
    Object.assign(overridden, { token: options.token, username: undefined, password: undefined });
  } else if (options.user) {
    Object.assign(overridden, {
      username: options.user,
      password: options.password,
      token: undefined,
    });
  } else if (options.password) overridden.password = options.password;
  return overridden;
}

export function credentialsOf(profile: Profile): Credentials {
  if (profile.token) return { token: profile.token };
  if (profile.username) return { username: profile.username, password: profile.password ?? '' };
  return {};
}

/** The typed client for a profile; `--verbose` prints every exchange to stderr. */
export function clientFor(profile: Profile, verbose = false): NestifyClient {
  return new NestifyClient({
    url: profile.manager_url,
    credentials: credentialsOf(profile),
    tenant: profile.tenant,
    onExchange: verbose ? printExchange : undefined,
  });
}

/** What a command that talks to a manager works with. */
export interface CliContext {
  client: NestifyClient;
  profile: Profile;
  out: Printer;
}

export function contextOf(options: ConnectionOptions): CliContext {
  const profile = resolveProfile(options);
  return {
    profile,
    client: clientFor(profile, options.verbose),
    out: new Printer(Boolean(options.json)),
  };
}

const SECRET_HEADERS = /^(authorization|authentication-token)$/i;
const MAX_BODY = 2000;

function clip(text: string): string {
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}… (${text.length} chars)` : text;
}

function printExchange(exchange: HttpExchange): void {
  const lines = [`> ${exchange.method} ${exchange.url}`];
  for (const [name, value] of Object.entries(exchange.requestHeaders)) {
    lines.push(`> ${name}: ${SECRET_HEADERS.test(name) ? '********' : value}`);
  }
  if (exchange.requestBody) lines.push(`> ${clip(exchange.requestBody)}`);
  if (exchange.status === undefined) lines.push(`< no response (${exchange.ms} ms)`);
  else {
    lines.push(`< ${exchange.status} (${exchange.ms} ms)`);
    if (exchange.responseBody) lines.push(`< ${clip(exchange.responseBody)}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
