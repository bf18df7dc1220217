import { isObject, Json, JsonObject } from '../json';
import { pyStr, pyTypeName } from './python-format';
import { compilePythonRegex, isFunctionValue, pythonRegexMatches } from './value-types';

/** Shapes a constraint's argument must have (checked when the blueprint is parsed). */
type ArgumentKind = 'scalar' | 'dual_scalar' | 'sequence' | 'regex' | 'string' | 'dict';

/** Raised by a predicate when the value cannot be compared at all (Python's TypeError). */
class NotComparable extends Error {}

interface ConstraintSpec {
  argument: ArgumentKind;
  /**
   * Constraints answered by querying storage (filters on object-based input types). `true`
   * means always; a list names the input types for which the constraint is such a query.
   */
  storageQueryFor?: true | readonly string[];
  predicate?: (value: Json, args: Json) => boolean;
}

const VALUE_LOOKUP_TYPES = [
  'capability_value',
  'scaling_group',
  'node_id',
  'node_type',
  'node_instance',
  'operation_name',
];

const CONSTRAINTS: Record<string, ConstraintSpec> = {
  equal: { argument: 'scalar', predicate: (v, a) => pyEquals(v, a) },
  greater_than: { argument: 'scalar', predicate: (v, a) => compare(v, a) > 0 },
  greater_or_equal: { argument: 'scalar', predicate: (v, a) => compare(v, a) >= 0 },
  less_than: { argument: 'scalar', predicate: (v, a) => compare(v, a) < 0 },
  less_or_equal: { argument: 'scalar', predicate: (v, a) => compare(v, a) <= 0 },
  in_range: { argument: 'dual_scalar', predicate: inRange },
  valid_values: {
    argument: 'sequence',
    storageQueryFor: VALUE_LOOKUP_TYPES,
    predicate: (v, a) => Array.isArray(a) && a.some((item) => pyEquals(v, item)),
  },
  length: { argument: 'scalar', predicate: (v, a) => lengthOf(v) === a },
  min_length: { argument: 'scalar', predicate: (v, a) => compare(lengthOf(v), a) >= 0 },
  max_length: { argument: 'scalar', predicate: (v, a) => compare(lengthOf(v), a) <= 0 },
  pattern: { argument: 'regex', predicate: matchesPattern },
  filter_id: { argument: 'string', storageQueryFor: true },
  labels: { argument: 'sequence', storageQueryFor: true },
  tenants: { argument: 'sequence', storageQueryFor: true },
  name_pattern: { argument: 'dict', storageQueryFor: true },
  deployment_id: { argument: 'string', storageQueryFor: true },
};

export const CONSTRAINT_NAMES: readonly string[] = Object.keys(CONSTRAINTS);

export function isKnownConstraint(name: string): boolean {
  return Object.hasOwn(CONSTRAINTS, name);
}

function isScalar(value: Json | undefined): value is number {
  return typeof value === 'number';
}

const ARGUMENT_CHECKS: Record<ArgumentKind, (args: Json) => boolean> = {
  scalar: isScalar,
  dual_scalar: (args) => Array.isArray(args) && args.length === 2 && args.every(isScalar),
  sequence: (args) => Array.isArray(args),
  regex: (args) => typeof args === 'string' && compilePythonRegex(args) !== undefined,
  string: (args) => typeof args === 'string',
  dict: (args) => isObject(args),
};

/**
 * Whether a constraint's argument has the shape its operator needs. Functions are accepted:
 * they are evaluated before the constraint is applied.
 */
export function isValidConstraintArgument(name: string, args: Json): boolean {
  if (isFunctionValue(args)) return true;
  const spec = CONSTRAINTS[name];
  return spec !== undefined && ARGUMENT_CHECKS[spec.argument](args);
}

/** A constraint entry `{operator: args}`, optionally with `error_message` (DSL 1_5). */
export interface ParsedConstraint {
  name: string;
  args: Json;
  errorMessage?: string;
}

/** The operator of an entry is its first key other than error_message; undefined when it has none. */
export function parseConstraint(entry: JsonObject): ParsedConstraint | undefined {
  const name = Object.keys(entry).find((key) => key !== 'error_message');
  if (name === undefined) return undefined;
  const message = entry.error_message;
  return {
    name,
    args: entry[name],
    errorMessage: typeof message === 'string' ? message : undefined,
  };
}

/** `in_range(1, 5) operator`, the way Cloudify names a constraint in its messages. */
export function describeConstraint(constraint: ParsedConstraint): string {
  const { name, args } = constraint;
  const shown = Array.isArray(args) ? args.map(pyStr).join(', ') : pyStr(args);
  return `${name}(${shown}) operator`;
}

/**
 * Checks one value against constraints and returns a message per violation (empty when the
 * value complies). Storage-backed filters of object-based types (`name_pattern`, `labels`, …,
 * and `valid_values` on lookup types) and arguments that are still unevaluated functions are
 * skipped here: they need the REST service's storage or evaluated functions. The path names
 * the input in messages.
 */
export function checkConstraints(
  value: Json,
  constraints: JsonObject[],
  path: (string | number)[],
  typeName?: string,
): string[] {
  const inputName = path.join('.');
  const violations: string[] = [];
  for (const entry of constraints) {
    const constraint = parseConstraint(entry);
    if (!constraint) continue;
    const problem = violationOf(value, constraint, inputName, typeName);
    if (problem) violations.push(problem);
  }
  return violations;
}

function violationOf(
  value: Json,
  constraint: ParsedConstraint,
  inputName: string,
  typeName: string | undefined,
): string | undefined {
  const spec = CONSTRAINTS[constraint.name];
  if (!spec) return `No such constraint operator '${constraint.name}'`;
  if (isStorageQuery(spec, typeName) || isFunctionValue(constraint.args)) return undefined;
  if (!spec.predicate) return undefined;
  try {
    if (spec.predicate(value, constraint.args)) return undefined;
  } catch (error) {
    if (error instanceof NotComparable) return error.message;
    throw error;
  }
  const reason = constraint.errorMessage
    ? `is invalid. ${constraint.errorMessage}`
    : `violates constraint ${describeConstraint(constraint)}.`;
  return `Value ${pyStr(value)} of input ${inputName} ${reason}`;
}

function isStorageQuery(spec: ConstraintSpec, typeName: string | undefined): boolean {
  if (spec.storageQueryFor === true) return true;
  return typeName !== undefined && spec.storageQueryFor?.includes(typeName) === true;
}

// Python semantics: booleans are numbers, == never fails, ordering across kinds fails.

function isNumeric(value: Json): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function pyEquals(a: Json, b: Json): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && pyEquals(a[key], b[key]))
    );
  }
  return a === b;
}

function notComparable(args: Json, value: Json): NotComparable {
  return new NotComparable(
    `Value is not comparable, the Constraint argument type is '${pyTypeName(args)}' but value ` +
      `type is '${pyTypeName(value)}'.`,
  );
}

/** Three-way comparison of `value` against `args`, as Python orders them. */
function compare(value: Json, args: Json): number {
  if (isNumeric(value) && isNumeric(args)) return Number(value) - Number(args);
  if (typeof value === 'string' && typeof args === 'string') {
    if (value === args) return 0;
    return value < args ? -1 : 1;
  }
  if (Array.isArray(value) && Array.isArray(args)) {
    for (let i = 0; i < Math.min(value.length, args.length); i++) {
      if (!pyEquals(value[i], args[i])) return compare(value[i], args[i]);
    }
    return value.length - args.length;
  }
  throw notComparable(args, value);
}

function inRange(value: Json, args: Json): boolean {
  if (!Array.isArray(args) || args.length !== 2) throw notComparable(args, value);
  return compare(value, args[0]) >= 0 && compare(value, args[1]) <= 0;
}

/** len(): characters of a string, items of a list, keys of a dict. */
function lengthOf(value: Json): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isObject(value)) return Object.keys(value).length;
  throw new NotComparable(
    `Value's length could not be computed. Value type is '${pyTypeName(value)}'.`,
  );
}

function matchesPattern(value: Json, args: Json): boolean {
  if (typeof value !== 'string') {
    throw new NotComparable(`Value must be of type string, got type '${pyTypeName(value)}'`);
  }
  return typeof args === 'string' && pythonRegexMatches(args, value);
}
