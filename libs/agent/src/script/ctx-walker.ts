/**
 * The ctx proxy's argument walk (workflows.md §6): `ctx instance runtime-properties port 8080`
 * descends attribute by attribute over a tree of `ctxObject`s; on a dict one remaining argument
 * reads a dotted path and two set it; a function takes the remaining arguments and is called.
 */

const CTX_OBJECT = Object.freeze({});

/** Marks an object whose keys are attributes to descend, not a dict to read or write. */
export function ctxObject<T extends object>(attributes: T): T {
  return Object.setPrototypeOf(attributes, CTX_OBJECT) as T;
}

export function isCtxObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === CTX_OBJECT;
}

/** A request the proxy cannot serve (unknown attribute, bad path); the CLI exits non-zero. */
export class CtxRequestError extends Error {
  override name = 'CtxRequestError';
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container =>
  typeof value === 'object' && value !== null && !isCtxObject(value);

/** `a.b[0].c` → ['a', 'b', 0, 'c']. */
export function parsePath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    keys.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  if (keys.length === 0) throw new CtxRequestError(`empty path: ${JSON.stringify(path)}`);
  // These would reach or replace object prototypes, not properties.
  if (keys.some((key) => key === '__proto__' || key === 'constructor' || key === 'prototype')) {
    throw new CtxRequestError(`illegal path: ${JSON.stringify(path)}`);
  }
  return keys;
}

export function getPath(container: Container, path: string): unknown {
  let current: unknown = container;
  for (const key of parsePath(path)) {
    if (!isContainer(current) || !Object.hasOwn(current, key)) {
      throw new CtxRequestError(`${path} not found`);
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Sets a dotted path, creating the dicts on the way. */
export function setPath(container: Container, path: string, value: unknown): void {
  const keys = parsePath(path);
  let current: Container = container;
  keys.slice(0, -1).forEach((key, i) => {
    const slot = current as Record<string | number, unknown>;
    if (!Object.hasOwn(slot, key) || !isContainer(slot[key]))
      slot[key] = typeof keys[i + 1] === 'number' ? [] : {};
    current = slot[key] as Container;
  });
  (current as Record<string | number, unknown>)[keys[keys.length - 1]] = value;
}

const toCamel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function attributeOf(object: Record<string, unknown>, arg: unknown): unknown {
  if (typeof arg !== 'string') throw new CtxRequestError(`${JSON.stringify(arg)} is not a name`);
  const name = arg.replace(/-/g, '_');
  for (const candidate of [name, toCamel(name)]) {
    if (Object.hasOwn(object, candidate)) {
      const value = object[candidate];
      return typeof value === 'function' ? value.bind(object) : value;
    }
  }
  throw new CtxRequestError(`${arg} cannot be processed in ${JSON.stringify(Object.keys(object))}`);
}

/** Walks `args` over `root` and resolves with the value reached (awaiting promises). */
export async function walkCtx(root: unknown, args: unknown[]): Promise<unknown> {
  let current: unknown = root;
  for (let i = 0; i < args.length; i += 1) {
    const rest = args.slice(i);
    if (typeof current === 'function') return await current(...rest);
    if (isCtxObject(current)) {
      current = await attributeOf(current, args[i]);
      continue;
    }
    if (isContainer(current)) {
      if (rest.length === 1) return getPath(current, String(rest[0]));
      if (rest.length === 2) {
        setPath(current, String(rest[0]), rest[1]);
        return null;
      }
      throw new CtxRequestError(`too many arguments for a dict: ${JSON.stringify(rest)}`);
    }
    throw new CtxRequestError(
      `cannot descend into ${JSON.stringify(current)} with ${String(args[i])}`,
    );
  }
  if (typeof current === 'function') return await current();
  if (isCtxObject(current)) throw new CtxRequestError('that names an object, not a value');
  return current;
}
