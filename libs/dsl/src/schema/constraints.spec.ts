import { Json, JsonObject } from '../json';
import { checkConstraints } from './constraints';

const check = (value: Json, constraint: JsonObject, type?: string) =>
  checkConstraints(value, [constraint], ['x'], type);

describe('checkConstraints', () => {
  it.each<[JsonObject, Json, Json]>([
    [{ equal: 5 }, 5, 6],
    [{ greater_than: 5 }, 6, 5],
    [{ greater_or_equal: 5 }, 5, 4],
    [{ less_than: 5 }, 4, 5],
    [{ less_or_equal: 5 }, 5, 6],
    [{ in_range: [1, 3] }, 3, 4],
    [{ valid_values: ['a', 'b'] }, 'b', 'c'],
    [{ length: 2 }, 'ab', 'abc'],
    [{ min_length: 2 }, ['a', 'b'], ['a']],
    [{ max_length: 1 }, { a: 1 }, { a: 1, b: 2 }],
    [{ pattern: 'a+b' }, 'aab-trailing', 'xab'],
  ])('%j accepts %j and rejects %j', (constraint, good, bad) => {
    expect(check(good, constraint)).toEqual([]);
    const [violation] = check(bad, constraint);
    expect(violation).toMatch(/^Value .* of input x violates constraint \w+\(.*\) operator\.$/);
  });

  it('names the operator and arguments the way Cloudify does', () => {
    expect(check(4, { in_range: [1, 3] })).toEqual([
      'Value 4 of input x violates constraint in_range(1, 3) operator.',
    ]);
  });

  it('uses a custom error message when one is given', () => {
    expect(check('lorem', { pattern: '(hi)|(ab)', error_message: 'hi or ab' })).toEqual([
      'Value lorem of input x is invalid. hi or ab',
    ]);
  });

  it('reports values that cannot be compared or measured', () => {
    expect(check('a', { greater_than: 1 })[0]).toMatch(/not comparable/);
    expect(check(5, { length: 1 })[0]).toMatch(/length could not be computed.*'int'/);
    expect(check(5, { pattern: 'x' })[0]).toMatch(/must be of type string, got type 'int'/);
  });

  it('compares like Python: booleans are numbers, strings and lists order', () => {
    expect(check(true, { equal: 1 })).toEqual([]);
    expect(check('b', { greater_than: 'a' })).toEqual([]);
    expect(check(2.5, { valid_values: [1, 2.5] })).toEqual([]);
  });

  it('skips storage-backed filters and unevaluated function arguments', () => {
    expect(check('dep', { name_pattern: { contains: 'zzz' } }, 'deployment_id')).toEqual([]);
    expect(check('n1', { valid_values: ['n2'] }, 'node_id')).toEqual([]);
    expect(check(1, { equal: { get_input: 'other' } })).toEqual([]);
  });

  it('lists every violation', () => {
    const found = checkConstraints('abcdef', [{ max_length: 2 }, { pattern: 'z' }], ['x']);
    expect(found).toHaveLength(2);
  });
});
