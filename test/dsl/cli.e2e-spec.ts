import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built `nestify blueprint` CLI on corpus blueprints: JSON plans, inputs, one-line errors. */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const CORPUS = join(__dirname, '..', 'fixtures', 'blueprints');
const HELLO = join(CORPUS, '01-hello-world', 'blueprint.yaml');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('nestify blueprint CLI', () => {
  jest.setTimeout(180000);
  let scratch: string;

  beforeAll(() => {
    if (!existsSync(CLI)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT });
    scratch = mkdtempSync(join(tmpdir(), 'nestify-cli-'));
  });

  it('prints the deployment plan as JSON', () => {
    const { status, stdout } = cli('blueprint', 'plan', HELLO, '--json');
    expect(status).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.nodes.map((n: { id: string }) => n.id)).toEqual(['host', 'db', 'app']);
    expect(plan.node_instances).toHaveLength(3);
    expect(plan.inputs).toEqual({ greeting: 'hello', app_port: 8080 });
  });

  it('takes key=value inputs, typed as YAML scalars', () => {
    const { status, stdout } = cli('blueprint', 'plan', HELLO, '-i', 'app_port=9090');
    expect(status).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.inputs.app_port).toBe(9090);
    const app = plan.nodes.find((n: { id: string }) => n.id === 'app');
    expect(app.properties.port).toBe(9090);
  });

  it('takes an inputs file', () => {
    const file = join(scratch, 'inputs.yaml');
    writeFileSync(file, 'greeting: hi\napp_port: 2048\n');
    const { status, stdout } = cli('blueprint', 'plan', HELLO, '-i', file);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).inputs).toEqual({ greeting: 'hi', app_port: 2048 });
  });

  it('validates a good blueprint', () => {
    const { status, stdout, stderr } = cli('blueprint', 'validate', HELLO);
    expect(status).toBe(0);
    expect(stdout).toContain('is valid');
    expect(stderr).toBe('');
  });

  it('reports a broken blueprint in one line naming file:line and the cause', () => {
    const file = join(CORPUS, '40-unknown-node-type', 'blueprint.yaml');
    for (const command of ['validate', 'plan']) {
      const { status, stdout, stderr } = cli('blueprint', command, file);
      expect(status).not.toBe(0);
      expect(stdout).toBe('');
      const lines = stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${file}:8:`);
      expect(lines[0]).toContain("node type 'cloudify.nodes.Computer' is not defined");
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reports invalid YAML with its line', () => {
    const file = join(CORPUS, '32-invalid-yaml', 'blueprint.yaml');
    const { status, stderr } = cli('blueprint', 'validate', file);
    expect(status).not.toBe(0);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${file}:10:`);
    expect(stderr).toContain('invalid YAML');
  });

  it('refuses a missing required input in one line', () => {
    const file = join(CORPUS, '50-missing-required-input', 'blueprint.yaml');
    const { status, stdout, stderr } = cli('blueprint', 'plan', file);
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('image');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
