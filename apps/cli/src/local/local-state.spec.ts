import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../inputs';
import { LocalState, LocalStateFile, newLocalState } from './local-state';

function state(blueprintId: string): LocalState {
  return newLocalState({
    blueprint_id: blueprintId,
    blueprint_path: '/bp/blueprint.yaml',
    inputs: {},
    plan: { workflows: {}, outputs: {}, capabilities: {} },
    deployment: {
      deployment: {
        id: 'local',
        display_name: 'local',
        blueprint_id: blueprintId,
        tenant_name: 'default_tenant',
        creator: 'local',
        resource_tags: null,
        runtime_only_evaluation: false,
        scaling_groups: {},
      },
      nodes: [],
      instances: [],
    },
  });
}

describe('the local state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestify-local-state-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('saves into a new folder and loads back what was saved, leaving no temporary file', async () => {
    const file = new LocalStateFile(join(dir, 'bp'));
    await file.save(state('bp'));
    expect(await file.load()).toEqual(state('bp'));
    expect(await readdir(join(dir, 'bp'))).toEqual(['state.json']);
  });

  it('writes a burst of saves in order and ends with the latest', async () => {
    const file = new LocalStateFile(dir);
    const saves = ['a', 'b', 'c', 'd'].map((id) => file.save(state(id)));
    await Promise.all(saves);
    await file.flush();
    expect((await file.load()).blueprint_id).toBe('d');
    await file.save(state('e'));
    expect(JSON.parse(await readFile(file.path, 'utf8')).blueprint_id).toBe('e');
  });

  it('names the folder when there is no state, and refuses a file of another format', async () => {
    const file = new LocalStateFile(dir);
    await expect(file.load()).rejects.toThrow(UsageError);
    await expect(file.load()).rejects.toThrow(`no local deployment in ${dir}`);
    await writeFile(file.path, JSON.stringify({ format: 99 }));
    await expect(file.load()).rejects.toThrow(/unknown format \(99\)/);
  });
});
