import { DslError } from '../errors';
import {
  collectInterDeploymentFunctions,
  collectParentCapabilities,
  collectSecrets,
  expandInterDeploymentFunctions,
} from './collect';

describe('collectSecrets', () => {
  it('lists literal secret names once, including nested and list forms', () => {
    const value = {
      a: { get_secret: 'one' },
      b: { concat: ['x', { get_secret: ['two', 'key'] }] },
      c: [{ get_secret: 'one' }],
      d: { get_secret: { get_attribute: ['vm', 'name'] } },
    };
    expect(collectSecrets(value, { get_secret: 'three' })).toEqual(['one', 'two', 'three']);
  });
});

describe('collectParentCapabilities', () => {
  it('lists capability paths, a single name as a one-item list', () => {
    const value = {
      p: { get_environment_capability: 'cap_a' },
      o: { get_environment_capability: ['cap_b', 'attr'] },
      again: { get_environment_capability: 'cap_a' },
    };
    expect(collectParentCapabilities(value)).toEqual([['cap_a'], ['cap_b', 'attr']]);
  });
});

describe('collectInterDeploymentFunctions', () => {
  it('names each get_capability by its path, nested ones included', () => {
    const output1 = { get_capability: [{ get_capability: ['dep_1', 'cap_a'] }, 'cap_b'] };
    const output2 = { get_capability: [{ get_attribute: ['node', 'doesnt_matter'] }, 'cap_a'] };
    const found = [
      ...collectInterDeploymentFunctions(output1, ['outputs', 'output1', 'value']),
      ...collectInterDeploymentFunctions(output2, ['outputs', 'output2', 'value']),
    ];
    expect(
      found.map(({ function_identifier, target_deployment }) => ({
        function_identifier,
        target_deployment,
      })),
    ).toEqual([
      {
        function_identifier: 'outputs.output1.value.get_capability[0].get_capability',
        target_deployment: ['dep_1', 'dep_1'],
      },
      {
        function_identifier: 'outputs.output1.value.get_capability',
        target_deployment: [null, { get_capability: ['dep_1', 'cap_a'] }],
      },
      {
        function_identifier: 'outputs.output2.value.get_capability',
        target_deployment: [null, { get_attribute: ['node', 'doesnt_matter'] }],
      },
    ]);
  });

  it('expands node and relationship functions per source instance', () => {
    const nodeFns = collectInterDeploymentFunctions(
      { x: { get_capability: [{ get_attribute: ['SELF', 'x'] }, 'cap'] } },
      ['nodes', 'node', 'properties'],
      {
        kind: 'node',
        node: 'node',
      },
    );
    const relFns = collectInterDeploymentFunctions(
      { a: { get_capability: ['dep1', 'cap1'] } },
      ['nodes', 'node3', 'depends_on', 'op', 'inputs'],
      {
        kind: 'relationship',
        source: 'node3',
        target: 'node1',
        relationshipType: 'depends_on',
      },
    );
    const other = collectInterDeploymentFunctions({ get_capability: ['d', 'c'] }, [
      'outputs',
      'o',
      'value',
    ]);
    const instances = [
      { id: 'node_a', node_id: 'node', relationships: [] },
      { id: 'node_b', node_id: 'node', relationships: [] },
      {
        id: 'node3_a',
        node_id: 'node3',
        relationships: [{ target_id: 'node1_a', target_name: 'node1', type: 'depends_on' }],
      },
    ];
    const expanded = expandInterDeploymentFunctions([...nodeFns, ...relFns, ...other], instances);
    expect(expanded.map((idd) => idd.context)).toEqual([
      { self: 'node_a' },
      { self: 'node_b' },
      { self: 'node3_a', source: 'node3_a', target: 'node1_a' },
      {},
    ]);
    expect(expanded[2]).toMatchObject({
      function_identifier: 'nodes.node3.depends_on.op.inputs.a.get_capability',
      target_deployment: ['dep1', 'dep1'],
    });
  });

  it('refuses a relationship function whose relationship the instance lacks', () => {
    const fns = collectInterDeploymentFunctions({ get_capability: ['d', 'c'] }, ['x'], {
      kind: 'relationship',
      source: 'n',
      target: 't',
      relationshipType: 'r',
    });
    expect(() =>
      expandInterDeploymentFunctions(fns, [{ id: 'n_1', node_id: 'n', relationships: [] }]),
    ).toThrow(DslError);
  });
});
