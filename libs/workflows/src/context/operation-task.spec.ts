import { cloneJson, mergeKwargs } from './operation-task';
import type { JsonMap } from '../ports';

describe('mergeKwargs', () => {
  it('deep-copies inputs and kwargs so tasks never share them', () => {
    const inputs: JsonMap = { port: 8080, tags: ['a'], nested: { deep: { x: 1 } } };
    const kwargs: JsonMap = { extra: { list: [1, { y: 2 }] } };
    const merged = mergeKwargs(inputs, kwargs, false);
    expect(merged).toEqual({ ...inputs, ...kwargs });
    expect(merged.tags).not.toBe(inputs.tags);
    expect((merged.nested as JsonMap).deep).not.toBe((inputs.nested as JsonMap).deep);
    expect(merged.extra).not.toBe(kwargs.extra);
  });

  it('refuses a key given twice unless overriding is allowed', () => {
    expect(() => mergeKwargs({ port: 1 }, { port: 2 }, false)).toThrow(
      /Duplicate definition of port in operation properties and in kwargs/,
    );
    expect(mergeKwargs({ port: 1 }, { port: 2 }, true)).toEqual({ port: 2 });
  });

  it('keeps a key named __proto__ as data, as JSON.parse does', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonMap;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
    const merged = mergeKwargs(parsed, {}, false);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as JsonMap).polluted).toBeUndefined();
  });
});
