import { DslError } from '../errors';
import { JsonObject } from '../json';
import { resolveDataTypes } from './data-types';
import {
  DslVersion,
  InputError,
  parseInputDefinitions,
  resolveInputValues,
  validateInputDefinitions,
} from './inputs';
import { DataTypeDefinition, PropertySchema } from './types';

const V1_3: DslVersion = [1, 3, 0];
const V1_4: DslVersion = [1, 4, 0];
const V1_5: DslVersion = [1, 5, 0];

const dataTypes: Record<string, DataTypeDefinition> = {
  a: { properties: { b: { type: 'b' } } },
  b: { properties: { c: { type: 'c' } } },
  c: { properties: { d: { type: 'integer' } } },
  dtype1: { properties: { p1: { type: 'string', default: 'default_p1' }, p2: { type: 'string' } } },
  withDefaults: { properties: { x: { default: 1 } } },
};

function validate(inputs: Record<string, PropertySchema>, version: DslVersion = V1_5): void {
  validateInputDefinitions(inputs, { dataTypes, path: ['inputs'], version });
}

function codeOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DslError) return error.code;
    throw error;
  }
  return -1;
}

describe('validateInputDefinitions', () => {
  it('accepts primitive, data and object types', () => {
    expect(() =>
      validate({
        port: { type: 'integer', default: 8080 },
        cfg: { type: 'dtype1', default: { p2: 'x' } },
        dep: { type: 'deployment_id' },
        op: { type: 'operation_name', constraints: [{ valid_values: ['install'] }] },
        names: { type: 'list', item_type: 'blueprint_id' },
        text: { type: 'textarea', display: { rows: 10 } },
      }),
    ).not.toThrow();
  });

  it('gates object types and newer keys by version (102)', () => {
    expect(codeOf(() => validate({ d: { type: 'deployment_id' } }, V1_3))).toBe(102);
    expect(codeOf(() => validate({ o: { type: 'operation_name' } }, V1_4))).toBe(102);
    expect(codeOf(() => validate({ h: { hidden: true, default: 1 } }, [1, 2, 0]))).toBe(102);
    const withMessage = { default: 'hi', constraints: [{ pattern: 'hi', error_message: 'no' }] };
    expect(codeOf(() => validate({ x: withMessage }, V1_4))).toBe(102);
    expect(codeOf(() => validate({ x: withMessage }, V1_5))).toBe(-1);
  });

  it('rejects unknown types and constraint operators (103)', () => {
    expect(codeOf(() => validate({ x: { type: 'who_dis?' } }))).toBe(103);
    expect(codeOf(() => validate({ x: { constraints: [{ bigger: 1 }] } }))).toBe(103);
    expect(codeOf(() => validate({ x: { constraints: [{}] } }))).toBe(103);
  });

  it.each<[JsonObject]>([
    [{ greater_than: 'a' }],
    [{ equal: true }],
    [{ in_range: [1] }],
    [{ valid_values: 'a' }],
    [{ length: [1] }],
    [{ pattern: '(' }],
    [{ name_pattern: 'x' }],
  ])('rejects invalid constraint arguments %j (212)', (constraint) => {
    expect(codeOf(() => validate({ x: { constraints: [constraint] } }))).toBe(212);
  });

  it('accepts function arguments of constraints', () => {
    expect(codeOf(() => validate({ x: { constraints: [{ equal: { get_input: 'y' } }] } }))).toBe(
      -1,
    );
  });

  it('rejects a function default together with constraints (213)', () => {
    const x = { default: { get_input: 'i' }, constraints: [{ min_length: 1 }] };
    expect(codeOf(() => validate({ x }))).toBe(213);
  });

  it('checks defaults against type and data type (105/106/107)', () => {
    expect(codeOf(() => validate({ x: { type: 'integer', default: 'a' } }))).toBe(105);
    expect(codeOf(() => validate({ x: { type: 'a', default: { b: { c: { d: 'no' } } } } }))).toBe(
      105,
    );
    expect(codeOf(() => validate({ x: { type: 'a', default: { e: 1 } } }))).toBe(106);
    expect(codeOf(() => validate({ x: { type: 'a', default: { b: { c: {} } } } }))).toBe(107);
    expect(
      codeOf(() => validate({ x: { type: 'list', item_type: 'integer', default: ['a'] } })),
    ).toBe(105);
  });

  it('checks defaults against constraints', () => {
    const x = { default: 'hi', constraints: [{ max_length: 1 }] };
    expect(() => validate({ x })).toThrow('Value hi of input x violates constraint max_length(1)');
  });

  it('returns defaults completed with nested data-type defaults', () => {
    const parsed = parseInputDefinitions(
      { x: { type: 'dtype1', default: { p2: 'b' } } },
      { dataTypes, path: ['inputs'], version: V1_5 },
    );
    expect(parsed.x.default).toEqual({ p1: 'default_p1', p2: 'b' });
  });

  it('rejects hidden required inputs without default (215)', () => {
    expect(codeOf(() => validate({ x: { type: 'string', hidden: true } }))).toBe(215);
    expect(codeOf(() => validate({ x: { hidden: true, required: false } }))).toBe(-1);
    expect(codeOf(() => validate({ x: { hidden: true, default: 'a' } }))).toBe(-1);
  });

  it('rejects display on non-textarea (216) and item_type misuse (218/217)', () => {
    expect(codeOf(() => validate({ x: { type: 'string', display: { rows: 3 } } }))).toBe(216);
    expect(codeOf(() => validate({ x: { type: 'string', item_type: 'blueprint_id' } }))).toBe(218);
    expect(codeOf(() => validate({ x: { type: 'list', item_type: 'dtype1' } }))).toBe(217);
  });

  it('rejects malformed definitions (code 1)', () => {
    expect(codeOf(() => validate({ x: { required: 'yes' } as unknown as PropertySchema }))).toBe(1);
    expect(codeOf(() => validate({ x: { colour: 'red' } as unknown as PropertySchema }))).toBe(1);
  });
});

describe('resolveInputValues', () => {
  const resolved = resolveDataTypes(dataTypes);

  function inputErrorOf(run: () => unknown): InputError {
    try {
      run();
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('expected an InputError');
  }

  it('merges provided values with defaults and data-type defaults', () => {
    const definitions: Record<string, PropertySchema> = {
      port: { type: 'integer', default: 8080 },
      host: { type: 'string' },
      opt: { required: false },
      cfg: { type: 'dtype1' },
      auto: { type: 'withDefaults' },
    };
    const values = resolveInputValues(definitions, { host: 'h', cfg: { p2: 'b' } }, resolved);
    expect(values).toEqual({
      port: 8080,
      host: 'h',
      opt: null,
      cfg: { p1: 'default_p1', p2: 'b' },
      auto: { x: 1 },
    });
  });

  it('reports missing required inputs', () => {
    const error = inputErrorOf(() =>
      resolveInputValues({ a: {}, b: { default: null }, c: { default: 1 } }, {}, resolved),
    );
    expect(error.kind).toBe('missing_required_input');
    expect(error.inputs).toEqual(['a', 'b']);
    expect(error.message).toBe(
      "Required inputs ['a', 'b'] were not specified - expected inputs: ['a', 'b', 'c']",
    );
  });

  it('reports unknown inputs, and lists missing ones in the same message', () => {
    const unknown = inputErrorOf(() =>
      resolveInputValues({ a: { default: 1 } }, { z: 1 }, resolved),
    );
    expect(unknown.kind).toBe('unknown_input');
    expect(unknown.inputs).toEqual(['z']);
    const both = inputErrorOf(() => resolveInputValues({ a: {} }, { z: 1 }, resolved));
    expect(both.kind).toBe('missing_required_input');
    expect(both.message).toContain("Unknown inputs ['z'] specified");
    expect(both.problems).toHaveLength(2);
  });

  it('reports type and data-type violations as input_type', () => {
    const error = inputErrorOf(() =>
      resolveInputValues(
        { x: { type: 'a' } },
        { x: { b: { c: { d: 'should_be_int' } } } },
        resolved,
      ),
    );
    expect(error.kind).toBe('input_type');
    expect(error.message).toMatch(/b\.c\.d/);
    expect(error.problems[0].code).toBe(214);
    const plain = inputErrorOf(() =>
      resolveInputValues({ n: { type: 'integer' } }, { n: 'a' }, resolved),
    );
    expect(plain.message).toMatch(/Property type validation failed.*type is 'integer'/);
    const missingNested = inputErrorOf(() =>
      resolveInputValues({ x: { type: 'dtype1' } }, { x: { p1: 'a' } }, resolved),
    );
    expect(missingNested.message).toContain('Value of input x is missing property p2.');
  });

  it('reports constraint violations as input_constraint, before missing inputs', () => {
    const definitions = { s: { constraints: [{ max_length: 1 }] }, m: {} };
    const error = inputErrorOf(() => resolveInputValues(definitions, { s: 'hi' }, resolved));
    expect(error.kind).toBe('input_constraint');
    expect(error.inputs).toEqual(['s']);
    expect(error.message).toContain(
      'Value hi of input s violates constraint max_length(1) operator.',
    );
    expect(error.message).toContain("Required inputs ['m']");
  });

  it('rejects function values together with constraints (213)', () => {
    const error = inputErrorOf(() =>
      resolveInputValues(
        { s: { constraints: [{ min_length: 1 }] } },
        { s: { get_secret: 'k' } },
        resolved,
      ),
    );
    expect(error.kind).toBe('input_constraint');
    expect(error.problems[0].code).toBe(213);
  });

  it('checks list items against item_type and constraints', () => {
    const definitions = {
      l: { type: 'list', item_type: 'integer', constraints: [{ less_than: 5 }] },
    };
    expect(resolveInputValues(definitions, { l: [1, 2] }, resolved)).toEqual({ l: [1, 2] });
    expect(
      inputErrorOf(() => resolveInputValues(definitions, { l: [1, 'a'] }, resolved)).kind,
    ).toBe('input_type');
    expect(inputErrorOf(() => resolveInputValues(definitions, { l: [1, 9] }, resolved)).kind).toBe(
      'input_constraint',
    );
  });

  it('checks object-based types only for being strings', () => {
    expect(resolveInputValues({ d: { type: 'deployment_id' } }, { d: 'dep1' }, resolved)).toEqual({
      d: 'dep1',
    });
    expect(
      inputErrorOf(() => resolveInputValues({ d: { type: 'deployment_id' } }, { d: 5 }, resolved))
        .kind,
    ).toBe('input_type');
  });

  it('auto-corrects string spellings when asked', () => {
    const definitions = { i: { type: 'integer' }, f: { type: 'float' }, b: { type: 'boolean' } };
    const provided = { i: '30', f: '1.1e3', b: 'true' };
    expect(resolveInputValues(definitions, provided, resolved, { autoCorrectTypes: true })).toEqual(
      {
        i: 30,
        f: 1100,
        b: true,
      },
    );
    expect(inputErrorOf(() => resolveInputValues(definitions, provided, resolved)).kind).toBe(
      'input_type',
    );
  });
});
