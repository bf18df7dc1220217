import { CtxRequestError, ctxObject, parsePath, setPath, walkCtx } from './ctx-walker';

describe('walkCtx', () => {
  const build = () => {
    const calls: unknown[][] = [];
    const runtimeProperties: Record<string, unknown> = { port: 8080, nested: { list: [1, 2] } };
    const root = ctxObject({
      instance: ctxObject({ id: 'vm_1', runtimeProperties }),
      node: ctxObject({ properties: { ip: '10.0.0.1' } }),
      logger: ctxObject({ info: (...args: unknown[]) => calls.push(['info', ...args]) }),
      downloadResource: async (path: string) => `/tmp/${path}`,
      get hostIp() {
        return Promise.resolve('10.0.0.9');
      },
    });
    return { root, calls, runtimeProperties };
  };

  it('descends attributes, turning dashes and snake_case into the camelCase names', async () => {
    const { root } = build();
    expect(await walkCtx(root, ['instance', 'id'])).toBe('vm_1');
    expect(await walkCtx(root, ['instance', 'runtime-properties', 'port'])).toBe(8080);
    expect(await walkCtx(root, ['node', 'properties', 'ip'])).toBe('10.0.0.1');
    expect(await walkCtx(root, ['host_ip'])).toBe('10.0.0.9');
  });

  it('reads a dict whole, or by dotted path with indexes', async () => {
    const { root, runtimeProperties } = build();
    expect(await walkCtx(root, ['instance', 'runtime_properties'])).toBe(runtimeProperties);
    expect(await walkCtx(root, ['instance', 'runtime_properties', 'nested.list[1]'])).toBe(2);
  });

  it('sets a dotted path with two remaining arguments, creating dicts and lists', async () => {
    const { root, runtimeProperties } = build();
    await walkCtx(root, ['instance', 'runtime-properties', 'a.b.c', 'x']);
    await walkCtx(root, ['instance', 'runtime-properties', 'l[0].name', 'first']);
    expect(runtimeProperties.a).toEqual({ b: { c: 'x' } });
    expect(runtimeProperties.l).toEqual([{ name: 'first' }]);
  });

  it('calls a function with the remaining arguments, awaiting what it returns', async () => {
    const { root, calls } = build();
    await walkCtx(root, ['logger', 'info', 'hello', 'world']);
    expect(calls).toEqual([['info', 'hello', 'world']]);
    expect(await walkCtx(root, ['download-resource', 'a.sh'])).toBe('/tmp/a.sh');
  });

  it('refuses unknown attributes, missing paths and too many arguments', async () => {
    const { root } = build();
    await expect(walkCtx(root, ['nope'])).rejects.toThrow(CtxRequestError);
    await expect(walkCtx(root, ['instance', 'runtime-properties', 'missing'])).rejects.toThrow(
      'missing not found',
    );
    await expect(walkCtx(root, ['instance', 'runtime-properties', 'a', 'b', 'c'])).rejects.toThrow(
      CtxRequestError,
    );
    await expect(walkCtx(root, ['instance'])).rejects.toThrow('names an object');
  });

  it('never reaches the prototype chain', async () => {
    const { root } = build();
    await expect(walkCtx(root, ['constructor'])).rejects.toThrow(CtxRequestError);
    await expect(
      walkCtx(root, ['instance', 'runtime-properties', '__proto__.polluted', 'yes']),
    ).rejects.toThrow('illegal path');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expect(walkCtx(root, ['instance', 'runtime-properties', 'toString'])).rejects.toThrow(
      'not found',
    );
  });
});

describe('parsePath / setPath', () => {
  it('splits dots and [index]', () => {
    expect(parsePath('a.b[2].c')).toEqual(['a', 'b', 2, 'c']);
  });
  it('replaces a scalar on the way with a dict', () => {
    const target: Record<string, unknown> = { a: 1 };
    setPath(target, 'a.b', true);
    expect(target).toEqual({ a: { b: true } });
  });
});
