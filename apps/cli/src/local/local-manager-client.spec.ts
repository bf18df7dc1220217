import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VersionConflictError } from '@nestify/agent';
import { HttpException } from '@nestify/plugin-sdk';
import { snapshotFromBlueprint } from '@nestify/workflows';
import { LocalDeploymentStore } from './local-deployment-store';
import { LocalManagerClient } from './local-manager-client';
import { LocalStateFile, newLocalState } from './local-state';

const BLUEPRINT = `
tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
node_templates:
  vm:
    type: cloudify.nodes.Compute
    properties:
      ip: 10.0.0.1
`;

describe('the ctx view of the local deployment', () => {
  let dir: string;
  let file: LocalStateFile;
  let client: LocalManagerClient;
  let instanceId: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestify-local-client-'));
    await mkdir(join(dir, 'blueprint', 'scripts'), { recursive: true });
    await writeFile(join(dir, 'blueprint', 'scripts', 'run.sh'), 'echo hi\n');
    await writeFile(join(dir, 'secret.txt'), 'not for scripts\n');
    const deployment = await snapshotFromBlueprint(BLUEPRINT);
    instanceId = deployment.instances[0].id;
    const state = newLocalState({
      blueprint_id: 'bp',
      blueprint_path: join(dir, 'blueprint', 'blueprint.yaml'),
      inputs: {},
      plan: { workflows: {}, outputs: {}, capabilities: {} },
      deployment,
    });
    file = new LocalStateFile(join(dir, 'state'));
    client = new LocalManagerClient(new LocalDeploymentStore(state, file), join(dir, 'blueprint'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes runtime properties under the version lock and saves them to the state file', async () => {
    const read = await client.getNodeInstance(instanceId);
    const written = await client.updateRuntimeProperties(instanceId, read.version, { port: 80 });
    expect(written.version).toBe(read.version + 1);
    await file.flush();
    const saved = JSON.parse(await readFile(file.path, 'utf8'));
    expect(saved.deployment.instances[0].runtime_properties).toEqual({ port: 80 });
    await expect(
      client.updateRuntimeProperties(instanceId, read.version, { port: 81 }),
    ).rejects.toThrow(VersionConflictError);
  });

  it('reads nodes with their properties', async () => {
    const node = await client.getNode('local', 'vm');
    expect(node.properties).toMatchObject({ ip: '10.0.0.1' });
    expect(node.type_hierarchy).toEqual(['cloudify.nodes.Root', 'cloudify.nodes.Compute']);
  });

  it('reads resources from the blueprint folder only', async () => {
    expect((await client.getBlueprintResource('bp', 'scripts/run.sh')).toString()).toBe(
      'echo hi\n',
    );
    await expect(client.getBlueprintResource('bp', '../secret.txt')).rejects.toThrow(
      /outside the blueprint folder/,
    );
    await expect(client.getBlueprintResource('bp', '/etc/passwd')).rejects.toThrow(HttpException);
    await expect(client.getBlueprintResource('bp', 'scripts/missing.sh')).rejects.toMatchObject({
      code: 404,
    });
  });
});
