import { IllegalExecutionParametersError } from './execution-errors';

/** A workflow parameter as the plan declares it. */
export interface DeclaredParameter {
  type?: string;
  item_type?: string;
  default?: unknown;
  /** Cloudify's default is true: required unless a default fills it. */
  required?: boolean;
  description?: string;
  [key: string]: unknown;
}

export type DeclaredParameters = Record<string, DeclaredParameter>;

class WrongType extends Error {}

/** Converts a value to a declared type as Cloudify does (strings from the CLI become numbers…). */
export function convertParameter(value: unknown, type: string, itemType?: string): unknown {
  switch (type) {
    case 'list':
      if (!Array.isArray(value)) throw new WrongType();
      return itemType ? value.map((item) => convertParameter(item, itemType)) : value;
    case 'integer':
      if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
      throw new WrongType();
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
        return Number(value);
      }
      throw new WrongType();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && ['true', 'false'].includes(value.toLowerCase())) {
        return value.toLowerCase() === 'true';
      }
      throw new WrongType();
    case 'string':
      if (typeof value === 'string') return value;
      throw new WrongType();
    default:
      return value;
  }
}

/**
 * The parameters an execution runs with: the given ones over the declared defaults, converted to
 * their declared types. Refuses undeclared names (unless custom parameters are allowed), values
 * of the wrong type, and required parameters left without a value.
 */
export function mergeWorkflowParameters(
  workflowId: string,
  declared: DeclaredParameters,
  given: Record<string, unknown> | null | undefined,
  allowCustomParameters: boolean,
): Record<string, unknown> {
  const parameters: Record<string, unknown> = { ...(given ?? {}) };
  const custom = Object.keys(parameters).filter((name) => !(name in declared));
  if (custom.length && !allowCustomParameters) {
    throw new IllegalExecutionParametersError(
      `Workflow "${workflowId}" does not have the following parameters declared: ` +
        `${custom.join(',')}. Remove these parameters or use the flag for allowing custom parameters`,
    );
  }
  for (const [name, spec] of Object.entries(declared)) {
    if ('default' in spec && !(name in parameters)) parameters[name] = spec.default;
  }
  const wrong: string[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    if (!spec.type || !(name in parameters)) continue;
    try {
      parameters[name] = convertParameter(parameters[name], spec.type, spec.item_type);
    } catch (error) {
      if (!(error instanceof WrongType)) throw error;
      const type = spec.item_type ? `${spec.type} of ${spec.item_type}s` : spec.type;
      wrong.push(`Parameter "${name}" must be of type ${type}`);
    }
  }
  if (wrong.length) throw new IllegalExecutionParametersError(wrong.join('\n'));
  const missing = Object.entries(declared)
    .filter(([name, spec]) => spec.required !== false && !(name in parameters))
    .map(([name]) => name);
  if (missing.length) {
    throw new IllegalExecutionParametersError(
      `Workflow "${workflowId}" must be provided with the following parameters to execute: ${missing.join(',')}`,
    );
  }
  return parameters;
}
