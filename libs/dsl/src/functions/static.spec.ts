import { DslError } from '../errors';
import { Json, JsonObject } from '../json';
import { evaluateStatic, FunctionScope, StaticContext } from './static';

const NODES: Record<string, JsonObject> = {
  vm: { ip: '10.0.0.1', port: 8080, a: 0, nested: { list: [1, 2, { k: 'v' }] } },
  host: { ip: { get_input: 'host_ip' } },
  app: { port: 8080 },
};

function context(
  scope: FunctionScope,
  extra: Partial<StaticContext> = {},
  nodes = NODES,
): StaticContext {
  return {
    scope,
    path: ['where'],
    inputs: {
      host_ip: '1.2.3.4',
      obj: { a: { b: [10, 20] } },
      name_of_input: 'host_ip',
      flag: true,
      n: 5,
    },
    nodeProperties: (name) => nodes[name],
    ...extra,
  };
}

function evalIn(
  value: Json,
  scope: FunctionScope = 'outputs',
  extra: Partial<StaticContext> = {},
  nodes = NODES,
): Json {
  return evaluateStatic(value, context(scope, extra, nodes));
}

function errorOf(fn: () => unknown): DslError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DslError) return error;
    throw error;
  }
  throw new Error('expected a DslError');
}

describe('evaluateStatic: get_input', () => {
  it('reads an input by name and walks keys and indexes', () => {
    expect(evalIn({ get_input: 'host_ip' })).toBe('1.2.3.4');
    expect(evalIn({ get_input: ['obj', 'a', 'b', 1] })).toBe(20);
    expect(evalIn({ get_input: ['obj', 'a', 'b', -1] })).toBe(20);
  });

  it('evaluates functions found anywhere inside a value', () => {
    expect(evalIn({ x: [{ get_input: 'n' }, { y: { get_input: 'flag' } }] })).toEqual({
      x: [5, { y: true }],
    });
  });

  it('takes the input name from a nested function', () => {
    expect(evalIn({ get_input: { get_input: 'name_of_input' } })).toBe('1.2.3.4');
    expect(evalIn({ get_input: { concat: ['host', '_ip'] } })).toBe('1.2.3.4');
  });

  it('rejects an unknown input', () => {
    expect(errorOf(() => evalIn({ get_input: 'nope' })).message).toContain("unknown input 'nope'");
  });

  it('reports a missing key or index in the Cloudify wording', () => {
    expect(errorOf(() => evalIn({ get_input: ['obj', 'x'] })).message).toBe(
      "Input attribute 'x' of 'obj', doesn't exist.",
    );
    expect(errorOf(() => evalIn({ get_input: ['obj', 'a', 'b', 5] })).message).toBe(
      "List size of 'obj.a.b' is 2 but index 5 is retrieved.",
    );
  });

  it('refuses a runtime function as its argument', () => {
    expect(errorOf(() => evalIn({ get_input: { get_attribute: ['vm', 'ip'] } })).message).toContain(
      'unresolved argument',
    );
    expect(errorOf(() => evalIn({ get_input: [{ get_secret: 's' }] })).message).toContain(
      'unresolved argument',
    );
  });

  it('checks a declared return type', () => {
    expect(evalIn({ get_input: 'n', type: 'integer' })).toBe(5);
    expect(errorOf(() => evalIn({ get_input: 'host_ip', type: 'integer' })).code).toBe(214);
  });

  it('rejects malformed arguments', () => {
    expect(errorOf(() => evalIn({ get_input: 5 })).message).toContain(
      'Illegal argument(s) passed to get_input',
    );
    expect(errorOf(() => evalIn({ get_input: [] })).message).toContain('Illegal argument(s)');
  });

  it('stops on inputs that refer to each other', () => {
    const error = errorOf(() =>
      evaluateStatic(
        { get_input: 'a' },
        { ...context('outputs'), inputs: { a: { get_input: 'a' } } },
      ),
    );
    expect(error.code).toBe(100);
  });

  it('names the path and location of the failure', () => {
    const error = errorOf(() =>
      evaluateStatic(
        { x: { get_input: 'nope' } },
        {
          ...context('outputs'),
          path: ['outputs', 'o', 'value'],
          locate: () => ({ file: 'b.yaml', line: 3 }),
        },
      ),
    );
    expect(error.path).toBe('outputs.o.value.x');
    expect(error.location).toEqual({ file: 'b.yaml', line: 3 });
  });
});

describe('evaluateStatic: get_property', () => {
  it('reads SELF and named nodes, with nested keys and indexes', () => {
    expect(evalIn({ get_property: ['SELF', 'ip'] }, 'node_properties', { self: 'vm' })).toBe(
      '10.0.0.1',
    );
    expect(evalIn({ get_property: ['vm', 'nested', 'list', 2, 'k'] })).toBe('v');
    expect(evalIn({ get_property: ['vm', 'nested', 'list', 0] })).toBe(1);
  });

  it('accepts the node and keys from nested functions', () => {
    expect(
      evalIn(
        { get_property: [{ concat: ['v', 'm'] }, { get_input: ['obj', 'a', 'b', 0] }] },
        'outputs',
        {},
        { vm: { 10: 'ten' } },
      ),
    ).toBe('ten');
  });

  it('resolves properties that are functions themselves, in their node', () => {
    expect(evalIn({ get_property: ['host', 'ip'] })).toBe('1.2.3.4');
    const nodes = {
      vm: {
        a: 0,
        b: { get_property: ['SELF', 'a'] },
        c: { get_property: ['SELF', 'b'] },
        x: { get_property: ['SELF', 'z'] },
        y: { get_property: ['SELF', 'x'] },
        z: { get_input: 'n' },
      },
    };
    expect(evalIn({ get_property: ['vm', 'c'] }, 'outputs', {}, nodes)).toBe(0);
    expect(evalIn({ get_property: ['vm', 'y'] }, 'outputs', {}, nodes)).toBe(5);
    expect(evalIn({ get_property: ['SELF', 'y'] }, 'node_properties', { self: 'vm' }, nodes)).toBe(
      5,
    );
  });

  it('walks into a property that is a function', () => {
    const nodes = {
      vm: { a: { get_input: 'obj' }, b: { get_property: ['SELF', 'a', 'a', 'b', 0] } },
    };
    expect(evalIn({ get_property: ['vm', 'b'] }, 'outputs', {}, nodes)).toBe(10);
  });

  it('does not mistake references between nodes for a cycle', () => {
    const nodes = {
      vm1: { a: { get_property: ['vm2', 'a'] }, b: 'bla1' },
      vm2: { a: { b3: { b4: { get_property: ['vm1', 'b'] } } }, b: 'bla2' },
    };
    expect(evalIn({ get_property: ['vm1', 'a'] }, 'outputs', {}, nodes)).toEqual({
      b3: { b4: 'bla1' },
    });
  });

  it('detects cycles (code 100)', () => {
    const self = { some_node: { prop: { get_property: ['some_node', 'prop'] } } };
    expect(
      errorOf(() =>
        evalIn(
          { get_property: ['some_node', 'prop'] },
          'node_properties',
          { self: 'some_node' },
          self,
        ),
      ).code,
    ).toBe(100);
    const viaInput = {
      some_node: { prop: { get_input: { get_property: ['some_node', 'prop'] } } },
    };
    expect(
      errorOf(() =>
        evalIn(viaInput.some_node.prop, 'node_properties', { self: 'some_node' }, viaInput),
      ).code,
    ).toBe(100);
    const mutual = {
      a: { x: { get_property: ['b', 'y'] } },
      b: { y: { get_property: ['a', 'x'] } },
    };
    const error = errorOf(() => evalIn({ get_property: ['a', 'x'] }, 'outputs', {}, mutual));
    expect(error.code).toBe(100);
    expect(error.message).toContain('a.x -> b.y -> a.x');
    const prefix = { n: { a: { get_property: ['SELF', 'a', 'b'] } } };
    expect(
      errorOf(() => evalIn({ get_property: ['n', 'a', 'b'] }, 'outputs', {}, prefix)).code,
    ).toBe(100);
  });

  it('reports a path that does not exist with code 101', () => {
    const missing = errorOf(() =>
      evalIn({ get_property: ['vm', 'notfound'] }, 'outputs', { path: ['outputs', 'a', 'value'] }),
    );
    expect(missing.code).toBe(101);
    expect(missing.message).toBe(
      "Node template property 'vm.properties.notfound' referenced from 'outputs.a.value' doesn't exist.",
    );
    const index = errorOf(() => evalIn({ get_property: ['vm', 'nested', 'list', 10] }));
    expect(index.code).toBe(101);
    expect(index.message).toContain('index is out of range. Got 10 but list size is 3');
    const notInt = errorOf(() => evalIn({ get_property: ['vm', 'nested', 'list', 'b'] }));
    expect(notInt.message).toContain('is expected b to be an int but it is a str');
    expect(errorOf(() => evalIn({ get_property: ['vm', 'ip', 'x'] })).code).toBe(101);
  });

  it('rejects an unknown node', () => {
    expect(errorOf(() => evalIn({ get_property: ['ghost', 'x'] })).message).toContain(
      "node reference 'ghost' does not exist",
    );
  });

  it('permits SELF only in node scopes and SOURCE/TARGET only in relationships (code 219)', () => {
    expect(errorOf(() => evalIn({ get_property: ['SELF', 'ip'] }, 'outputs')).code).toBe(219);
    expect(
      errorOf(() => evalIn({ get_property: ['SOURCE', 'ip'] }, 'node_properties', { self: 'vm' }))
        .code,
    ).toBe(219);
    expect(
      errorOf(() =>
        evalIn({ get_property: ['SELF', 'ip'] }, 'relationship_operation_inputs', {
          source: 'vm',
          target: 'app',
        }),
      ).code,
    ).toBe(219);
    const rel = { source: 'vm', target: 'app' };
    expect(evalIn({ get_property: ['SOURCE', 'ip'] }, 'relationship_operation_inputs', rel)).toBe(
      '10.0.0.1',
    );
    expect(evalIn({ get_property: ['TARGET', 'port'] }, 'relationship_operation_inputs', rel)).toBe(
      8080,
    );
  });

  it('refuses a runtime function as its argument', () => {
    expect(
      errorOf(() => evalIn({ get_property: [{ get_attribute: ['vm', 'ip'] }, 'x'] })).message,
    ).toContain('unresolved argument');
  });

  it('keeps itself for runtime when the path runs through a runtime value', () => {
    const nodes = { vm: { creds: { get_secret: 'creds' } } };
    expect(evalIn({ get_property: ['vm', 'creds', 'user'] }, 'outputs', {}, nodes)).toEqual({
      get_property: ['vm', 'creds', 'user'],
    });
    expect(evalIn({ get_property: ['vm', 'creds'] }, 'outputs', {}, nodes)).toEqual({
      get_secret: 'creds',
    });
  });
});

describe('evaluateStatic: runtime functions stay in place', () => {
  it('keeps the hello-world endpoint get_attribute and resolves get_property', () => {
    const output: Json = {
      concat: [
        'http://',
        { get_attribute: ['host', 'ip'] },
        ':',
        { get_property: ['app', 'port'] },
      ],
    };
    expect(evalIn(output)).toEqual({
      concat: ['http://', { get_attribute: ['host', 'ip'] }, ':', 8080],
    });
  });

  it('evaluates the arguments of a kept function', () => {
    expect(
      evalIn(
        { get_attribute: [{ get_input: 'name_of_input' }, 'x'] },
        'outputs',
        {},
        { host_ip: {} },
      ),
    ).toEqual({
      get_attribute: ['host_ip', 'x'],
    });
    expect(evalIn({ get_secret: { get_input: 'host_ip' } })).toEqual({ get_secret: '1.2.3.4' });
    expect(evalIn({ get_capability: [{ get_input: 'host_ip' }, 'cap'] })).toEqual({
      get_capability: ['1.2.3.4', 'cap'],
    });
  });

  it('keeps every runtime function', () => {
    const values: Json[] = [
      { get_secret: 'x' },
      { get_secret: ['x', 'k'] },
      { get_capability: ['dep', 'cap', 0] },
      { get_environment_capability: 'cap' },
      { get_sys: ['deployment', 'id'] },
      { get_label: ['env', 0] },
      { get_label: 'env' },
      { get_attributes_list: ['vm', 'ip'] },
      { get_attributes_dict: ['vm', 'ip', ['nested', 'list']] },
      { get_consumers: 'ids' },
      { get_group_capability: ['g', ['a', 'b']] },
    ];
    for (const value of values) expect(evalIn(value)).toEqual(value);
  });

  it('allows get_attribute in node properties and operation inputs with SELF', () => {
    expect(evalIn({ get_attribute: ['SELF', 'x'] }, 'node_properties', { self: 'vm' })).toEqual({
      get_attribute: ['SELF', 'x'],
    });
    expect(evalIn({ get_attribute: ['SELF', 'x'] }, 'operation_inputs', { self: 'vm' })).toEqual({
      get_attribute: ['SELF', 'x'],
    });
  });

  it('rejects SELF/SOURCE/TARGET where no such instance exists (code 219)', () => {
    for (const ref of ['SELF', 'SOURCE', 'TARGET']) {
      expect(errorOf(() => evalIn({ get_attribute: [ref, 'x'] }, 'outputs')).code).toBe(219);
      expect(errorOf(() => evalIn({ get_attribute: [ref, 'x'] }, 'capabilities')).code).toBe(219);
    }
    expect(
      errorOf(() => evalIn({ get_attribute: ['SOURCE', 'x'] }, 'node_properties', { self: 'vm' }))
        .code,
    ).toBe(219);
    expect(
      errorOf(() => evalIn({ get_attribute: ['SELF', 'x'] }, 'relationship_operation_inputs')).code,
    ).toBe(219);
    expect(evalIn({ get_attribute: ['TARGET', 'x'] }, 'relationship_operation_inputs')).toEqual({
      get_attribute: ['TARGET', 'x'],
    });
  });

  it('rejects get_attribute where values are fixed before instances exist (code 219)', () => {
    expect(errorOf(() => evalIn({ get_attribute: ['vm', 'x'] }, 'labels')).code).toBe(219);
    expect(
      errorOf(() => evalIn({ k: { get_attribute: ['vm', 'x'] } }, 'workflow_parameters')).code,
    ).toBe(219);
    expect(evalIn({ get_secret: 'x' }, 'labels')).toEqual({ get_secret: 'x' });
  });

  it('rejects a get_attribute of an unknown node', () => {
    expect(errorOf(() => evalIn({ get_attribute: ['ghost', 'x'] })).message).toBe(
      "get_attribute function node reference 'ghost' does not exist.",
    );
  });

  it('validates the shape of runtime function arguments', () => {
    expect(errorOf(() => evalIn({ get_attribute: ['vm'] })).message).toContain(
      'Illegal arguments passed to get_attribute',
    );
    expect(errorOf(() => evalIn({ get_secret: ['only'] })).message).toContain(
      'at least 2 elements',
    );
    expect(errorOf(() => evalIn({ get_capability: 'dep' })).message).toContain('should be a list');
    expect(errorOf(() => evalIn({ get_capability: ['dep'] })).message).toContain(
      '2 elements at least',
    );
    expect(errorOf(() => evalIn({ get_capability: ['dep', { a: 1 }] })).message).toContain(
      "can't be complex",
    );
    expect(errorOf(() => evalIn({ get_environment_capability: ['cap'] })).message).toContain(
      'only one item',
    );
    expect(errorOf(() => evalIn({ get_sys: ['planet', 'name'] })).message).toContain(
      'unable to determine entity',
    );
    expect(errorOf(() => evalIn({ get_sys: ['tenant', 'id'] })).message).toContain(
      'unable to determine property',
    );
    expect(errorOf(() => evalIn({ get_label: ['env', 'first'] })).message).toContain(
      'should be a number',
    );
    expect(errorOf(() => evalIn({ get_consumers: 'everything' })).message).toContain(
      'get_consumers',
    );
    expect(errorOf(() => evalIn({ get_attributes_dict: ['vm', 'ip', 'ip'] })).message).toContain(
      'duplicated',
    );
  });
});

describe('evaluateStatic: concat and merge', () => {
  it('joins parts as Python str() does', () => {
    expect(evalIn({ concat: ['a', 1, true, null, 1.5, { get_input: 'n' }] })).toBe(
      'a1TrueNone1.55',
    );
    expect(evalIn({ concat: [[1, 'x'], { k: false }] })).toBe("[1, 'x']{'k': False}");
  });

  it('joins nested concat and reads SELF properties', () => {
    expect(
      evalIn(
        { concat: ['one', { concat: ['two', { get_property: ['SELF', 'a'] }] }] },
        'node_properties',
        { self: 'vm' },
      ),
    ).toBe('onetwo0');
  });

  it('keeps itself when a part is known only at runtime', () => {
    const value: Json = { concat: [{ get_input: 'n' }, { get_secret: 's' }] };
    expect(evalIn(value)).toEqual({ concat: [5, { get_secret: 's' }] });
  });

  it('merges dicts, later keys winning', () => {
    expect(evalIn({ merge: [{ a: 1, b: 1 }, { get_input: ['obj', 'a'] }, { b: 2 }] })).toEqual({
      a: 1,
      b: 2,
    });
    expect(evalIn({ merge: [{ a: 1 }, { get_secret: 's' }] })).toEqual({
      merge: [{ a: 1 }, { get_secret: 's' }],
    });
  });

  it('rejects a non-dict merge item', () => {
    expect(errorOf(() => evalIn({ merge: [{ a: 1 }, 'x'] })).message).toContain('non-dict element');
    expect(errorOf(() => evalIn({ merge: [{ get_input: 'n' }] })).message).toContain(
      'non-dict element',
    );
  });

  it('rejects non-list arguments', () => {
    expect(errorOf(() => evalIn({ concat: 'x' })).message).toContain(
      'Illegal arguments passed to concat',
    );
    expect(errorOf(() => evalIn({ merge: { a: 1 } })).message).toContain(
      'Illegal arguments passed to merge',
    );
  });

  it('checks the DSL version when it is given', () => {
    expect(
      errorOf(() => evalIn({ concat: ['a'] }, 'outputs', { definitionsVersion: [1, 0] })).message,
    ).toContain('version 1_1 or greater');
    expect(
      errorOf(() => evalIn({ merge: [{}] }, 'outputs', { definitionsVersion: [1, 2] })).message,
    ).toContain('version 1_3 or greater');
    expect(evalIn({ merge: [{}] }, 'outputs', { definitionsVersion: [1, 4] })).toEqual({});
  });
});

describe('evaluateStatic: string functions', () => {
  it('finds substrings', () => {
    expect(evalIn({ string_find: ['abcde', 'cd'] })).toBe(2);
    expect(evalIn({ string_find: ['abcde', 'x'] })).toBe(-1);
    expect(evalIn({ string_find: [{ get_input: 'host_ip' }, '.'] })).toBe(1);
  });

  it('replaces all or the first n occurrences', () => {
    expect(evalIn({ string_replace: ['a-b-c', '-', '+'] })).toBe('a+b+c');
    expect(evalIn({ string_replace: ['a-b-c', '-', '+', 1] })).toBe('a+b-c');
    expect(evalIn({ string_replace: ['abc', 'x', '+'] })).toBe('abc');
    expect(evalIn({ string_replace: ['ab', '', '-'] })).toBe('-a-b-');
  });

  it('splits, optionally picking one part', () => {
    expect(evalIn({ string_split: ['a,b,c', ','] })).toEqual(['a', 'b', 'c']);
    expect(evalIn({ string_split: ['a,b,c', ',', 1] })).toBe('b');
    expect(errorOf(() => evalIn({ string_split: ['a,b', ',', 'x'] })).message).toContain(
      'should be of type int',
    );
  });

  it('changes case', () => {
    expect(evalIn({ string_lower: 'AbC' })).toBe('abc');
    expect(evalIn({ string_upper: { get_input: 'host_ip' } })).toBe('1.2.3.4');
    expect(evalIn({ string_upper: { concat: ['a', 'b'] } })).toBe('AB');
  });

  it('keeps itself when an argument is known only at runtime', () => {
    expect(evalIn({ string_upper: { get_secret: 's' } })).toEqual({
      string_upper: { get_secret: 's' },
    });
    expect(evalIn({ string_find: [{ get_attribute: ['vm', 'ip'] }, '.'] })).toEqual({
      string_find: [{ get_attribute: ['vm', 'ip'] }, '.'],
    });
  });

  it('rejects wrong argument counts and types', () => {
    expect(errorOf(() => evalIn({ string_find: ['a'] })).message).toContain('exactly 2 parameters');
    expect(errorOf(() => evalIn({ string_replace: ['a', 'b'] })).message).toContain(
      '3 to 4 parameters',
    );
    expect(errorOf(() => evalIn({ string_replace: ['a', 'b', 'c', 'd'] })).message).toContain(
      '`count` should be of type int',
    );
    expect(errorOf(() => evalIn({ string_lower: ['a', 'b'] })).message).toContain(
      'exactly one parameter',
    );
    expect(errorOf(() => evalIn({ string_upper: { get_input: 'n' } })).message).toContain(
      'should be of type str',
    );
  });
});

describe('evaluateStatic: plain values', () => {
  it('leaves values without functions as they are', () => {
    const value = { a: [1, 'two', { three: null }], get_input_like: { get_input: 'n', other: 1 } };
    expect(evalIn(value)).toEqual(value);
  });
});
