import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nestify } from './local-cli';

jest.setTimeout(60_000);

/** The command groups issue 9 asks for, plus the older ones; --help may list more. */
const GROUPS = [
  'profiles',
  'blueprints',
  'deployments',
  'executions',
  'events',
  'nodes',
  'node-instances',
  'secrets',
  'plugins',
  'tenants',
  'users',
  'tokens',
  'sites',
  'agents',
  'status',
  'install',
  'uninstall',
  'completion',
  'agent',
  'local',
];

/** The `## Command line` section of the README. */
function readmeSection(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## Command line');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('nestify --help and completion', () => {
  it("lists every command group, and the README's Command line section documents each one", async () => {
    const help = await nestify(tmpdir(), '--help');
    expect(help.status).toBe(0);
    const listed = help.stdout
      .slice(help.stdout.indexOf('Commands:'))
      .split('\n')
      .map((line) => /^ {2}([a-z-]+)/.exec(line)?.[1])
      .filter((name): name is string => Boolean(name) && name !== 'help');
    expect(GROUPS.filter((group) => !listed.includes(group))).toEqual([]);
    // Every group --help lists, including ones added later, must be documented.
    const section = readmeSection();
    const undocumented = listed.filter((group) => !section.includes(`nestify ${group}`));
    expect(undocumented).toEqual([]);
  });

  it('prints a bash completion script that completes groups, subcommands and options', async () => {
    const script = await nestify(tmpdir(), 'completion', 'bash');
    expect(script.status).toBe(0);
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `eval "$SCRIPT"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); ` +
            `COMP_CWORD=${words.length - 1}; _nestify_complete; echo "\${COMPREPLY[*]}"`,
        ],
        { env: { ...process.env, SCRIPT: script.stdout }, encoding: 'utf8' },
      ).trim();
    expect(complete('nestify', 'exe')).toBe('executions execution');
    expect(complete('nestify', 'blueprints', 'up')).toBe('upload');
    expect(complete('nestify', 'executions', 'start', '--dry')).toBe('--dry-run');
    const zsh = await nestify(tmpdir(), 'completion', 'zsh');
    expect(zsh.stdout).toContain('bashcompinit');
    const fish = await nestify(tmpdir(), 'completion', 'fish');
    expect(fish.status).toBe(2);
    expect(fish.stderr).toBe("nestify: no completion for 'fish': bash or zsh\n");
  });
});
