import { DslError } from '../errors';
import { Json, JsonObject } from '../json';
import { applyPropertySchema } from './property-schema';
import { DataTypeDefinition, PropertySchema, SchemaContext } from './types';

const ctx = (dataTypes: Record<string, DataTypeDefinition> = {}): SchemaContext => ({
  dataTypes,
  path: ['node_templates', 'vm', 'properties'],
  subject: 'vm',
});

function errorOf(run: () => unknown): DslError {
  try {
    run();
  } catch (error) {
    if (error instanceof DslError) return error;
    throw error;
  }
  throw new Error('expected a DslError');
}

const typed = (type: string): Record<string, PropertySchema> => ({ p: { type } });
const apply = (type: string, value: Json) => applyPropertySchema(typed(type), { p: value }, ctx());

describe('applyPropertySchema', () => {
  it.each<[string, Json[], Json[]]>([
    ['integer', [0, -3], [1.5, true, '1', []]],
    ['float', [1, 1.5], [true, '1.5']],
    ['boolean', [true, false], [0, 'true']],
    ['string', ['s', 1, ['any']], []],
    ['textarea', ['multi\nline'], []],
    ['list', [[], [1]], [{}, 'a']],
    ['dict', [{}, { a: 1 }], [[], 'a']],
    ['regex', ['^a+$'], ['(', 5]],
    ['deployment_id', ['d1'], []],
  ])('type %s accepts %j and rejects %j (105)', (type, good, bad) => {
    for (const value of good) expect(apply(type, value)).toEqual({ p: value });
    for (const value of bad) expect(errorOf(() => apply(type, value)).code).toBe(105);
  });

  it('lets functions and nulls skip type checks', () => {
    expect(apply('integer', { get_input: 'port' })).toEqual({ p: { get_input: 'port' } });
    expect(apply('integer', { get_input: 'port', type: 'x' })).toEqual({
      p: { get_input: 'port', type: 'x' },
    });
    expect(apply('integer', null)).toEqual({ p: null });
  });

  it('fills defaults and leaves out optional properties without value', () => {
    const schema: Record<string, PropertySchema> = {
      a: { default: 1 },
      b: { required: false },
      c: {},
    };
    expect(applyPropertySchema(schema, { c: 3 }, ctx())).toEqual({ a: 1, c: 3 });
  });

  it('rejects unknown properties (106) and missing required ones (107), located', () => {
    const unknown = errorOf(() => applyPropertySchema({}, { nope: 1 }, ctx()));
    expect(unknown.code).toBe(106);
    expect(unknown.path).toBe('node_templates.vm.properties.nope');
    const missing = errorOf(() => applyPropertySchema({ ip: {} }, {}, ctx()));
    expect(missing.code).toBe(107);
    expect(missing.message).toContain("'ip'");
  });

  it('relaxes required properties of external resources, which may not be functions', () => {
    const schema = { use_external_resource: { default: false }, id: {} };
    expect(applyPropertySchema(schema, { use_external_resource: true }, ctx())).toEqual({
      use_external_resource: true,
    });
    const fn = { use_external_resource: { get_input: 'x' } } as JsonObject;
    expect(errorOf(() => applyPropertySchema(schema, fn, ctx())).code).toBe(219);
  });

  describe('data types', () => {
    const dataTypes: Record<string, DataTypeDefinition> = {
      a: { properties: { i: { type: 'integer' }, s: { type: 'string', default: 's string' } } },
      b: { derived_from: 'a', properties: { i: { type: 'string', default: 'i string' } } },
      c: { properties: { d: { type: 'integer' } } },
      nest: { properties: { c: { type: 'c' }, n: { default: 'n' } } },
    };

    it('merges partial values over the schema default and the type defaults', () => {
      const schema = { b: { type: 'b', default: { i: 'used' } }, bb: { type: 'b' } };
      expect(applyPropertySchema(schema, { b: {} }, ctx(dataTypes))).toEqual({
        b: { i: 'used', s: 's string' },
        bb: { i: 'i string', s: 's string' },
      });
    });

    it('validates nested values recursively, naming the nested path', () => {
      const schema = { x: { type: 'nest' } };
      const good = applyPropertySchema(schema, { x: { c: { d: 1 } } }, ctx(dataTypes));
      expect(good).toEqual({ x: { c: { d: 1 }, n: 'n' } });
      const bad = errorOf(() =>
        applyPropertySchema(schema, { x: { c: { d: 'one' } } }, ctx(dataTypes)),
      );
      expect(bad.code).toBe(105);
      expect(bad.message).toContain("property 'x.c.d' type is 'integer'");
      expect(bad.path).toBe('node_templates.vm.properties.x.c.d');
      const extra = errorOf(() => applyPropertySchema(schema, { x: { e: 1 } }, ctx(dataTypes)));
      expect(extra.code).toBe(106);
    });

    it('requires nested required properties even when the property itself is optional', () => {
      const schema = { x: { type: 'c', required: false } };
      expect(errorOf(() => applyPropertySchema(schema, {}, ctx(dataTypes))).code).toBe(107);
    });

    it('rejects a non-mapping for a data type (105)', () => {
      expect(
        errorOf(() => applyPropertySchema({ x: { type: 'c' } }, { x: 5 }, ctx(dataTypes))).code,
      ).toBe(105);
    });
  });
});
