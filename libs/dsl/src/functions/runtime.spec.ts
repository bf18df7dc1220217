import { DslError } from '../errors';
import { Json, JsonObject } from '../json';
import {
  evaluateCapabilities,
  evaluateFunctions,
  evaluateOutputs,
  RuntimeNode,
  RuntimeNodeInstance,
  RuntimeStorage,
} from './runtime';

type InstanceSeed = Partial<RuntimeNodeInstance> & { id: string; node_id: string };
type NodeSeed = Partial<RuntimeNode> & { id: string };

interface Seeds {
  instances?: InstanceSeed[];
  nodes?: NodeSeed[];
  secrets?: Record<string, Json>;
  capabilities?: Record<string, JsonObject>;
  environment?: JsonObject;
  sys?: Record<string, Json>;
  labels?: Record<string, string[]>;
  inputs?: JsonObject;
}

/** An in-memory RuntimeStorage that also counts how often each node was read. */
function fakeStorage(seeds: Seeds = {}): RuntimeStorage & { nodeReads: Record<string, number> } {
  const instances: RuntimeNodeInstance[] = (seeds.instances ?? []).map((seed) => ({
    host_id: null,
    runtime_properties: {},
    relationships: [],
    ...seed,
  }));
  const nodes = new Map((seeds.nodes ?? []).map((seed) => [seed.id, { properties: {}, ...seed }]));
  const nodeReads: Record<string, number> = {};
  return {
    nodeReads,
    getNodeInstance: async (id) => instances.find((i) => i.id === id),
    getNodeInstances: async (nodeId) => instances.filter((i) => i.node_id === nodeId),
    getNode: async (nodeId) => {
      nodeReads[nodeId] = (nodeReads[nodeId] ?? 0) + 1;
      return nodes.get(nodeId);
    },
    getSecret: async (key) => seeds.secrets?.[key],
    getCapability: async (deployment, capability) => seeds.capabilities?.[deployment]?.[capability],
    getEnvironmentCapability: async (capability) => seeds.environment?.[capability],
    getSys: async (entity, property) => seeds.sys?.[`${entity}.${property}`],
    getLabel: async (key) => seeds.labels?.[key],
    getInput: async (name) => seeds.inputs?.[name],
  };
}

async function errorOf(promise: Promise<unknown>): Promise<DslError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DslError) return error;
    throw error;
  }
  throw new Error('expected a DslError');
}

describe('evaluateFunctions: get_attribute', () => {
  const simple = (id: string, props: JsonObject): InstanceSeed => ({
    id,
    node_id: id,
    runtime_properties: props,
  });

  it('reads SELF, SOURCE, TARGET and named nodes, and concatenates them', async () => {
    const storage = fakeStorage({
      instances: [
        simple('node1', { a: 'a_val' }),
        simple('node2', { b: 'b_val' }),
        simple('node3', { c: 'c_val' }),
        simple('node4', { d: 'd_val' }),
      ],
      nodes: [{ id: 'node1' }, { id: 'node2' }, { id: 'node3' }, { id: 'node4' }],
    });
    const payload = {
      a: { get_attribute: ['SELF', 'a'] },
      b: { get_attribute: ['node2', 'b'] },
      c: { get_attribute: ['SOURCE', 'c'] },
      d: { get_attribute: ['TARGET', 'd'] },
      f: {
        concat: [
          { get_attribute: ['SELF', 'a'] },
          { get_attribute: ['node2', 'b'] },
          { get_attribute: ['SOURCE', 'c'] },
          { get_attribute: ['TARGET', 'd'] },
        ],
      },
    };
    const result = await evaluateFunctions(
      payload,
      { self: 'node1', source: 'node3', target: 'node4' },
      storage,
    );
    expect(result).toEqual({
      a: 'a_val',
      b: 'b_val',
      c: 'c_val',
      d: 'd_val',
      f: 'a_valb_valc_vald_val',
    });
    expect(payload.a).toEqual({ get_attribute: ['SELF', 'a'] });
  });

  it('falls back to node properties, then to null', async () => {
    const storage = fakeStorage({
      instances: [{ id: 'node', node_id: 'webserver', runtime_properties: { a: null } }],
      nodes: [{ id: 'webserver', properties: { a: 'a_val', b: { deep: [1, 2] } } }],
    });
    const ctx = { self: 'node', source: 'node', target: 'node' };
    expect(await evaluateFunctions({ get_attribute: ['SELF', 'a'] }, ctx, storage)).toBe('a_val');
    expect(
      await evaluateFunctions({ get_attribute: ['webserver', 'b', 'deep', 1] }, ctx, storage),
    ).toBe(2);
    expect(
      await evaluateFunctions({ get_attribute: ['TARGET', 'missing'] }, ctx, storage),
    ).toBeNull();
  });

  it('returns the instance id and index unless runtime properties override them', async () => {
    const storage = fakeStorage({
      instances: [
        { id: 'n_1', node_id: 'n', index: 1 },
        {
          id: 'm_1',
          node_id: 'm',
          runtime_properties: { node_instance_id: 'overridden', node_instance_index: 42 },
        },
      ],
      nodes: [{ id: 'n' }, { id: 'm' }],
    });
    expect(await evaluateFunctions({ get_attribute: ['n', 'node_instance_id'] }, {}, storage)).toBe(
      'n_1',
    );
    expect(
      await evaluateFunctions({ get_attribute: ['n', 'node_instance_index'] }, {}, storage),
    ).toBe(1);
    expect(await evaluateFunctions({ get_attribute: ['m', 'node_instance_id'] }, {}, storage)).toBe(
      'overridden',
    );
    expect(
      await evaluateFunctions({ get_attribute: ['m', 'node_instance_index'] }, {}, storage),
    ).toBe(42);
  });

  it('evaluates functions found in properties, with SELF being their own instance', async () => {
    const storage = fakeStorage({
      instances: [
        { id: 'x_1', node_id: 'x' },
        { id: 'y_1', node_id: 'y' },
      ],
      nodes: [
        {
          id: 'x',
          properties: {
            a: [1, 2, 3, 4],
            b: { get_attribute: ['x', 'a'] },
            d: { get_attribute: ['SELF', 'b'] },
            x: { get_attribute: ['y', 'y'] },
          },
        },
        { id: 'y', properties: { y: { get_attribute: ['SELF', 'z'] }, z: 5 } },
      ],
    });
    expect(
      await evaluateFunctions(
        [0, { get_attribute: ['x', 'a', 0] }, 2, { get_attribute: ['x', 'd', 2] }, 4],
        {},
        storage,
      ),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(await evaluateFunctions({ get_attribute: ['x', 'x'] }, { self: 'x_1' }, storage)).toBe(
      5,
    );
  });

  it('picks the related instance when a node has several', async () => {
    const instances: InstanceSeed[] = [
      {
        id: 'node1_1',
        node_id: 'node1',
        relationships: [
          {
            target_name: 'node2',
            target_id: 'node2_1',
            type: 'cloudify.relationships.connected_to',
          },
        ],
      },
      { id: 'node2_1', node_id: 'node2', runtime_properties: { key: 'value1' } },
      { id: 'node2_2', node_id: 'node2', runtime_properties: { key: 'value2' } },
    ];
    const nodes = [{ id: 'node1' }, { id: 'node2' }];
    const payload = { get_attribute: ['node2', 'key'] };
    expect(
      await evaluateFunctions(payload, { self: 'node1_1' }, fakeStorage({ instances, nodes })),
    ).toBe('value1');
    instances[0].relationships = [];
    const error = await errorOf(
      evaluateFunctions(payload, { self: 'node1_1' }, fakeStorage({ instances, nodes })),
    );
    expect(error.message).toContain('Cannot resolve a node instance unambiguously');
  });

  it('picks the instance in the same scaling group instance, through containers', async () => {
    const seeds: InstanceSeed[] = [];
    for (const i of [1, 2]) {
      const rel = (target: string) => [
        {
          target_name: target,
          target_id: `${target}_${i}`,
          type: 'cloudify.relationships.contained_in',
        },
      ];
      seeds.push(
        { id: `node1_${i}`, node_id: 'node1', scaling_groups: [{ name: 'g1', id: `g1_${i}` }] },
        {
          id: `node2_${i}`,
          node_id: 'node2',
          scaling_groups: [{ name: 'g2', id: `g2_${i}` }],
          relationships: rel('node1'),
        },
        {
          id: `node3_${i}`,
          node_id: 'node3',
          scaling_groups: [{ name: 'g3', id: `g3_${i}` }],
          relationships: rel('node2'),
        },
        { id: `node4_${i}`, node_id: 'node4', scaling_groups: [{ name: 'g1', id: `g1_${i}` }] },
        {
          id: `node5_${i}`,
          node_id: 'node5',
          scaling_groups: [{ name: 'g5', id: `g5_${i}` }],
          relationships: rel('node4'),
        },
        {
          id: `node6_${i}`,
          node_id: 'node6',
          scaling_groups: [{ name: 'g6', id: `g6_${i}` }],
          relationships: rel('node5'),
          runtime_properties: { key: `value6_${i}` },
        },
      );
    }
    seeds.push({ id: 'stub', node_id: 'stub' });
    const containedIn = (target: string) => [
      { target_id: target, type_hierarchy: ['cloudify.relationships.contained_in'] },
    ];
    const nodes: NodeSeed[] = [
      { id: 'node1' },
      { id: 'node2', relationships: containedIn('node1') },
      { id: 'node3', relationships: containedIn('node2') },
      { id: 'node4' },
      { id: 'node5', relationships: containedIn('node4') },
      { id: 'node6', relationships: containedIn('node5') },
      { id: 'stub' },
    ];
    const payload = { get_attribute: ['node6', 'key'] };
    for (const i of [1, 2]) {
      const storage = fakeStorage({ instances: seeds, nodes });
      expect(await evaluateFunctions(payload, { self: `node3_${i}` }, storage)).toBe(`value6_${i}`);
      expect(
        await evaluateFunctions(payload, { source: `node3_${i}`, target: 'stub' }, storage),
      ).toBe(`value6_${i}`);
      expect(
        await evaluateFunctions(payload, { source: 'stub', target: `node3_${i}` }, storage),
      ).toBe(`value6_${i}`);
    }
  });

  it('picks the instance on the same host as a last resort', async () => {
    const storage = fakeStorage({
      instances: [
        { id: 'a_1', node_id: 'a', host_id: 'h_1' },
        { id: 'b_1', node_id: 'b', host_id: 'h_1', runtime_properties: { k: 1 } },
        { id: 'b_2', node_id: 'b', host_id: 'h_2', runtime_properties: { k: 2 } },
      ],
      nodes: [{ id: 'a' }, { id: 'b' }],
    });
    expect(await evaluateFunctions({ get_attribute: ['b', 'k'] }, { self: 'a_1' }, storage)).toBe(
      1,
    );
  });

  it('fails clearly when SELF/SOURCE/TARGET are missing or a node has no instances', async () => {
    const storage = fakeStorage({
      instances: [
        { id: '1', node_id: 'node' },
        { id: '2', node_id: 'node' },
      ],
    });
    expect(
      (await errorOf(evaluateFunctions({ a: { get_attribute: ['SELF', 'a'] } }, {}, storage)))
        .message,
    ).toContain('SELF is missing');
    expect(
      (await errorOf(evaluateFunctions({ get_attribute: ['SOURCE', 'a'] }, {}, storage))).message,
    ).toContain('SOURCE is missing');
    expect(
      (await errorOf(evaluateFunctions({ get_attribute: ['TARGET', 'a'] }, {}, storage))).message,
    ).toContain('TARGET is missing');
    expect(
      (await errorOf(evaluateFunctions({ get_attribute: ['ghost', 'a'] }, {}, storage))).message,
    ).toContain('Node ghost has no instances.');
    expect(
      (await errorOf(evaluateFunctions({ get_attribute: ['node', 'a'] }, {}, storage))).message,
    ).toContain('unambiguously');
  });

  it('reads each node once per evaluation', async () => {
    const storage = fakeStorage({
      instances: [{ id: 'n_1', node_id: 'n' }],
      nodes: [{ id: 'n', properties: { a: 1, b: 2 } }],
    });
    await evaluateFunctions(
      [{ get_attribute: ['n', 'a'] }, { get_attribute: ['n', 'b'] }],
      {},
      storage,
    );
    expect(storage.nodeReads.n).toBe(1);
  });

  it('detects cycles between attributes (code 100)', async () => {
    const storage = fakeStorage({
      instances: [{ id: 'n_1', node_id: 'n' }],
      nodes: [{ id: 'n', properties: { a: { get_attribute: ['SELF', 'a'] } } }],
    });
    expect(
      (await errorOf(evaluateFunctions({ get_attribute: ['n', 'a'] }, {}, storage))).code,
    ).toBe(100);
  });
});

describe('evaluateFunctions: get_attributes_list and get_attributes_dict', () => {
  const storage = fakeStorage({
    instances: [
      { id: 'vm_1', node_id: 'vm', runtime_properties: { ip: '1', tags: { a: 'x' } } },
      { id: 'vm_2', node_id: 'vm', runtime_properties: { ip: '2' } },
    ],
    nodes: [{ id: 'vm', properties: { tags: { a: 'default' } } }],
  });

  it('collects one attribute of every instance', async () => {
    expect(await evaluateFunctions({ get_attributes_list: ['vm', 'ip'] }, {}, storage)).toEqual([
      '1',
      '2',
    ]);
  });

  it('maps instance ids to their attributes', async () => {
    expect(
      await evaluateFunctions({ get_attributes_dict: ['vm', 'ip', ['tags', 'a']] }, {}, storage),
    ).toEqual({
      vm_1: { ip: '1', 'tags.a': 'x' },
      vm_2: { ip: '2', 'tags.a': 'default' },
    });
  });
});

describe('evaluateFunctions: other runtime functions', () => {
  const storage = fakeStorage({
    instances: [{ id: 'vm_1', node_id: 'vm' }],
    nodes: [{ id: 'vm', properties: { port: 80, secret_ref: { get_secret: 'pw' } } }],
    secrets: { pw: 'hunter2', json: '{"user": "u", "list": [1, 2]}', obj: { k: 'v' } },
    capabilities: { dep: { endpoint: { host: 'h', ports: [1, 2] } } },
    environment: { net: { id: 'n1' } },
    sys: { 'deployment.id': 'd1', 'tenant.name': 'default_tenant' },
    labels: { env: ['prod', 'eu'] },
    inputs: { name: 'pw', obj: { a: [1, 2] } },
  });

  it('reads secrets, whole or into their JSON', async () => {
    expect(await evaluateFunctions({ get_secret: 'pw' }, {}, storage)).toBe('hunter2');
    expect(await evaluateFunctions({ get_secret: { get_input: 'name' } }, {}, storage)).toBe(
      'hunter2',
    );
    expect(await evaluateFunctions({ get_secret: ['json', 'list', 1] }, {}, storage)).toBe(2);
    expect(await evaluateFunctions({ get_secret: ['obj', 'k'] }, {}, storage)).toBe('v');
    expect(
      (await errorOf(evaluateFunctions({ get_secret: 'nope' }, {}, storage))).message,
    ).toContain("secret 'nope' does not exist");
    expect(
      (await errorOf(evaluateFunctions({ get_secret: ['pw', 'k'] }, {}, storage))).message,
    ).toContain('Could not parse secret "pw" as json');
    expect(
      (await errorOf(evaluateFunctions({ get_secret: ['json', 'x'] }, {}, storage))).message,
    ).toContain('Could not find "x"');
  });

  it('reads capabilities of other deployments and of the parent environment', async () => {
    expect(await evaluateFunctions({ get_capability: ['dep', 'endpoint'] }, {}, storage)).toEqual({
      host: 'h',
      ports: [1, 2],
    });
    expect(
      await evaluateFunctions({ get_capability: ['dep', 'endpoint', 'ports', 1] }, {}, storage),
    ).toBe(2);
    expect(
      (await errorOf(evaluateFunctions({ get_capability: ['dep', 'nope'] }, {}, storage))).message,
    ).toContain('`nope` is not declared in deployment `dep`');
    expect(
      (await errorOf(evaluateFunctions({ get_capability: ['dep', 'endpoint', 'x'] }, {}, storage)))
        .message,
    ).toContain("Attribute 'x' doesn't exist in 'endpoint' in deployment 'dep'.");
    expect(
      (
        await errorOf(
          evaluateFunctions({ get_capability: ['dep', 'endpoint', 'ports', 5] }, {}, storage),
        )
      ).message,
    ).toContain("List size of 'endpoint.ports' is 2");
    expect(await evaluateFunctions({ get_environment_capability: 'net' }, {}, storage)).toEqual({
      id: 'n1',
    });
    expect(
      await evaluateFunctions({ get_environment_capability: ['net', 'id'] }, {}, storage),
    ).toBe('n1');
    expect(
      (await errorOf(evaluateFunctions({ get_environment_capability: 'nope' }, {}, storage)))
        .message,
    ).toContain('parent environment');
  });

  it('reads get_sys, get_label, get_input and get_property', async () => {
    expect(await evaluateFunctions({ get_sys: ['deployment', 'id'] }, {}, storage)).toBe('d1');
    expect(await evaluateFunctions({ get_label: 'env' }, {}, storage)).toEqual(['prod', 'eu']);
    expect(await evaluateFunctions({ get_label: ['env', '1'] }, {}, storage)).toBe('eu');
    expect(
      (await errorOf(evaluateFunctions({ get_label: ['env', 2] }, {}, storage))).message,
    ).toContain('out of range');
    expect(
      (await errorOf(evaluateFunctions({ get_label: 'nope' }, {}, storage))).message,
    ).toContain('no label');
    expect(await evaluateFunctions({ get_input: ['obj', 'a', 0] }, {}, storage)).toBe(1);
    expect(
      await evaluateFunctions({ get_property: ['SELF', 'port'] }, { self: 'vm_1' }, storage),
    ).toBe(80);
    expect(await evaluateFunctions({ get_property: ['vm', 'secret_ref'] }, {}, storage)).toBe(
      'hunter2',
    );
    const missing = await errorOf(evaluateFunctions({ get_property: ['vm', 'nope'] }, {}, storage));
    expect(missing.code).toBe(101);
  });

  it('evaluates concat, merge and string functions of runtime values', async () => {
    expect(await evaluateFunctions({ concat: ['pw=', { get_secret: 'pw' }] }, {}, storage)).toBe(
      'pw=hunter2',
    );
    expect(
      await evaluateFunctions(
        { merge: [{ a: 1 }, { get_capability: ['dep', 'endpoint'] }] },
        {},
        storage,
      ),
    ).toEqual({ a: 1, host: 'h', ports: [1, 2] });
    expect(await evaluateFunctions({ string_upper: { get_secret: 'pw' } }, {}, storage)).toBe(
      'HUNTER2',
    );
    expect(
      await evaluateFunctions(
        { string_replace: [{ get_sys: ['tenant', 'name'] }, '_', '-'] },
        {},
        storage,
      ),
    ).toBe('default-tenant');
  });

  it('evaluates outputs, showing instance errors as text and dropping missing secrets', async () => {
    const outputs = {
      ok: { value: { get_attribute: ['vm', 'port'] }, description: 'x' },
      ambiguous: { value: { get_attribute: ['ghost', 'ip'] } },
      gone: { value: { get_secret: 'nope' } },
      plain: { value: 'v' },
    };
    const evaluated = await evaluateOutputs(outputs, storage);
    expect(evaluated.ok).toBe(80);
    expect(evaluated.plain).toBe('v');
    expect(evaluated.ambiguous).toMatch(/^<ERROR: .*Node ghost has no instances/);
    expect('gone' in evaluated).toBe(false);
    await expect(
      evaluateCapabilities({ c: { value: { get_attribute: ['ghost', 'ip'] } } }, storage),
    ).rejects.toThrow(DslError);
    expect(
      await evaluateCapabilities({ c: { value: { get_sys: ['deployment', 'id'] } } }, storage),
    ).toEqual({ c: 'd1' });
  });
});
