import { DslError } from '../errors';
import { resolveDataTypes } from './data-types';
import { DataTypeDefinition } from './types';

function codeOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DslError) return error.code;
    throw error;
  }
  return undefined;
}

describe('resolveDataTypes', () => {
  it('merges properties down the derivation chain, the child winning', () => {
    const resolved = resolveDataTypes({
      a: { properties: { i: { type: 'integer' }, s: { type: 'string', default: 's' } } },
      b: { derived_from: 'a', properties: { i: { type: 'string', default: 'i' } } },
    });
    expect(resolved.b).toEqual({
      i: { type: 'string', default: 'i' },
      s: { type: 'string', default: 's' },
    });
  });

  it('fills nested data-type defaults, implicit ones included', () => {
    const resolved = resolveDataTypes({
      inner: { properties: { x: { default: 1 }, y: { type: 'integer' } } },
      outer: { properties: { in: { type: 'inner' }, in2: { type: 'inner', default: { x: 2 } } } },
    });
    expect(resolved.outer.in.default).toEqual({ x: 1 });
    expect(resolved.outer.in2.default).toEqual({ x: 2 });
  });

  it("keeps the parent's default as the base of a same-typed child default", () => {
    const resolved = resolveDataTypes({
      pair: { properties: { first: {}, second: {} } },
      base: { properties: { p: { type: 'pair', default: { first: 1, second: 2 } } } },
      child: { derived_from: 'base', properties: { p: { type: 'pair', default: { second: 3 } } } },
    });
    expect(resolved.child.p.default).toEqual({ first: 1, second: 3 });
  });

  it('rejects cycles (100), unknown parents and types (103), primitive names (104)', () => {
    const cycle: Record<string, DataTypeDefinition> = {
      a: { derived_from: 'b' },
      b: { derived_from: 'a' },
    };
    expect(codeOf(() => resolveDataTypes(cycle))).toBe(100);
    const selfList = { l: { properties: { head: {}, tail: { type: 'l', default: { head: 1 } } } } };
    expect(codeOf(() => resolveDataTypes(selfList))).toBe(100);
    expect(codeOf(() => resolveDataTypes({ a: { derived_from: 'nope' } }))).toBe(103);
    expect(codeOf(() => resolveDataTypes({ a: { properties: { p: { type: 'who' } } } }))).toBe(103);
    expect(codeOf(() => resolveDataTypes({ string: {} }))).toBe(104);
  });

  it('checks defaults: unknown nested property 106, wrong type 105', () => {
    const pair = { properties: { first: {}, second: {} } };
    const bad = { properties: { p: { type: 'pair', default: { first: 1, third: 4 } } } };
    expect(codeOf(() => resolveDataTypes({ pair, bad }))).toBe(106);
    const wrong = { properties: { n: { type: 'integer', default: 'x' } } };
    expect(codeOf(() => resolveDataTypes({ wrong }))).toBe(105);
  });

  it('locates errors under data_types', () => {
    try {
      resolveDataTypes({ a: { derived_from: 'nope' } });
    } catch (error) {
      expect(error).toBeInstanceOf(DslError);
      expect((error as DslError).path).toBe('data_types.a.derived_from');
    }
    expect.assertions(2);
  });
});

describe('resolveDataTypes on malformed definitions', () => {
  it.each([
    [{ a: null }, 'data_types.a'],
    [{ a: { derived_from: 3 } }, 'data_types.a.derived_from'],
    [{ a: { properties: [1] } }, 'data_types.a.properties'],
    [{ a: { properties: { p: null } } }, 'data_types.a.properties.p'],
    [{ a: { properties: { p: { type: 5 } } } }, 'data_types.a.properties.p.type'],
  ])('refuses %j with a DslError at its path', (definitions, path) => {
    const run = () =>
      resolveDataTypes(definitions as unknown as Record<string, DataTypeDefinition>);
    expect(run).toThrow(DslError);
    try {
      run();
    } catch (error) {
      expect((error as DslError).path).toBe(path);
    }
  });
});
