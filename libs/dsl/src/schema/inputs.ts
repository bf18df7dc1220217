import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import {
  CONSTRAINT_NAMES,
  checkConstraints,
  isKnownConstraint,
  isValidConstraintArgument,
  parseConstraint,
} from './constraints';
import { resolvedDataTypesOf } from './data-types';
import { parseValue, ParseEnv, SchemaViolation } from './parse-value';
import { pyRepr, pyStr } from './python-format';
import {
  INVALID_ITEM_TYPE,
  isObjectBasedType,
  isPrimitiveType,
  ITEM_TYPE_FOR_INVALID_TYPE,
  OBJECT_BASED_TYPES_DSL_1_4,
  OBJECT_BASED_TYPES_DSL_1_5,
  PropertySchema,
  ResolvedDataTypes,
  SCHEMA_FORMAT_ERROR,
  SchemaContext,
} from './types';
import { castToType, isFunctionValue, matchesSimpleType } from './value-types';

export type DslVersion = [number, number, number];

type Path = (string | number)[];

interface InputCheck {
  name: string;
  path: Path;
  version: DslVersion;
  dataTypes: ResolvedDataTypes;
  locate?: Locate;
}

const INPUT_KEYS = [
  'required',
  'default',
  'description',
  'type',
  'item_type',
  'constraints',
  'display_label',
  'hidden',
  'display',
];

function versionName([major, minor, micro]: DslVersion | [number, number]): string {
  return `cloudify_dsl_${major}_${minor}${micro ? `_${micro}` : ''}`;
}

function isBefore(version: DslVersion, [major, minor]: [number, number]): boolean {
  return version[0] < major || (version[0] === major && version[1] < minor);
}

function fail(message: string, path: Path, check: InputCheck, code?: number): never {
  throw dslError(message, path, { code, locate: check.locate });
}

function requireVersion(
  check: InputCheck,
  minimum: [number, number],
  what: string,
  key: string,
  message?: string,
): void {
  if (!isBefore(check.version, minimum)) return;
  fail(
    message ??
      `${what} not supported in version ${versionName(check.version)}, it was added in ` +
        `${versionName(minimum)}`,
    [...check.path, key],
    check,
    DSL_ERROR_CODES.versionMismatch,
  );
}

/** The leaf shapes of an input definition (Cloudify's schema format check, code 1). */
function checkShape(definition: JsonObject, check: InputCheck): void {
  const expect = (key: string, ok: (v: Json) => boolean, kind: string) => {
    const value = definition[key];
    if (value === undefined || value === null || ok(value)) return;
    fail(
      `Input '${check.name}': '${key}' must be ${kind}, got ${pyRepr(value)}`,
      [...check.path, key],
      check,
      SCHEMA_FORMAT_ERROR,
    );
  };
  for (const key of Object.keys(definition)) {
    if (!INPUT_KEYS.includes(key)) {
      fail(
        `Input '${check.name}': unknown key '${key}'. Allowed keys: ${INPUT_KEYS.join(', ')}`,
        [...check.path, key],
        check,
        SCHEMA_FORMAT_ERROR,
      );
    }
  }
  const isBool = (v: Json) => typeof v === 'boolean';
  const isString = (v: Json) => typeof v === 'string';
  expect('required', isBool, 'a boolean');
  expect('hidden', isBool, 'a boolean');
  expect('description', isString, 'a string');
  expect('display_label', isString, 'a string');
  expect('type', isString, 'a string');
  expect('item_type', isString, 'a string');
  expect('constraints', (v) => Array.isArray(v) && v.every(isObject), 'a list of mappings');
  expect(
    'display',
    (v) =>
      isObject(v) &&
      Object.keys(v).every((k) => k === 'rows') &&
      (v.rows === undefined || v.rows === null || Number.isInteger(v.rows)),
    'a mapping with an integer `rows`',
  );
}

function checkVersionGates(definition: PropertySchema, check: InputCheck): void {
  if (definition.required != null) requireVersion(check, [1, 2], 'required', 'required');
  if (definition.display_label != null) {
    requireVersion(check, [1, 3], 'display_label', 'display_label');
  }
  if (definition.hidden != null) requireVersion(check, [1, 3], 'hidden', 'hidden');
  if (definition.item_type != null) requireVersion(check, [1, 4], 'item_type', 'item_type');
  const type = definition.type;
  if (type == null) return;
  if (OBJECT_BASED_TYPES_DSL_1_4.includes(type)) {
    requireVersion(check, [1, 4], `type '${type}'`, 'type');
  } else if (OBJECT_BASED_TYPES_DSL_1_5.includes(type)) {
    requireVersion(check, [1, 5], `type '${type}'`, 'type');
  }
}

function checkTypes(definition: PropertySchema, check: InputCheck): void {
  const { type, item_type: itemType } = definition;
  if (type != null && !isPrimitiveType(type) && !Object.hasOwn(check.dataTypes, type)) {
    fail(
      `Illegal type name '${type}'`,
      [...check.path, 'type'],
      check,
      DSL_ERROR_CODES.unknownType,
    );
  }
  if (itemType) {
    if (type !== 'list') {
      fail(
        `Property item_type defined for unsupported type: '${type ?? 'None'}'`,
        [...check.path, 'item_type'],
        check,
        ITEM_TYPE_FOR_INVALID_TYPE,
      );
    }
    if (!isPrimitiveType(itemType)) {
      fail(
        `Illegal item_type '${itemType}'`,
        [...check.path, 'item_type'],
        check,
        INVALID_ITEM_TYPE,
      );
    }
  }
  // Display hints only make sense for multi-line text.
  if (definition.display && Object.keys(definition.display).length > 0 && type !== 'textarea') {
    fail(
      `\`display\` property defined for unsupported input type (${type ?? 'None'}) for input ` +
        `\`${check.name}\`.`,
      [...check.path, 'display'],
      check,
      DSL_ERROR_CODES.displayOnWrongType,
    );
  }
}

function checkHiddenRequired(definition: PropertySchema, check: InputCheck): void {
  // A hidden input is never asked for, so a required one must bring its own value.
  if (definition.hidden && (definition.required ?? true) && !Object.hasOwn(definition, 'default')) {
    fail(
      `Input is both hidden and required thus it should have a default value: '${check.name}'.`,
      check.path,
      check,
      DSL_ERROR_CODES.hiddenRequiredInput,
    );
  }
}

function checkConstraintDefinitions(constraints: JsonObject[], check: InputCheck): void {
  constraints.forEach((entry, index) => {
    const path = [...check.path, 'constraints', index];
    const keys = Object.keys(entry);
    if (keys.length > 1) {
      requireVersion(
        check,
        [1, 5],
        'constraints',
        'constraints',
        "Constraint's additional attributes are not supported in version " +
          `${versionName(check.version)}, they were added in ${versionName([1, 5])}`,
      );
    }
    const constraint = parseConstraint(entry);
    if (!constraint) {
      fail(
        `Empty constraint operator name given. Allowed operators: ${CONSTRAINT_NAMES.join(', ')}`,
        path,
        check,
        DSL_ERROR_CODES.unknownType,
      );
    }
    if (!isKnownConstraint(constraint.name)) {
      fail(
        `No such constraint operator '${constraint.name}'. Allowed operators: ` +
          CONSTRAINT_NAMES.join(', '),
        path,
        check,
        DSL_ERROR_CODES.unknownType,
      );
    }
    if (!isValidConstraintArgument(constraint.name, constraint.args)) {
      fail(
        `Invalid constraint operator argument "${pyStr(constraint.args)}", for constraint ` +
          `operator "${constraint.name}" in "${check.name}".`,
        [...path, constraint.name],
        check,
        DSL_ERROR_CODES.invalidConstraintArgument,
      );
    }
  });
}

/** The default, type-checked against the input's type and completed with nested defaults. */
function parseDefault(definition: PropertySchema, check: InputCheck): Json | undefined {
  const value = definition.default;
  if (value === undefined || value === null) return value;
  const env: ParseEnv = {
    dataTypes: check.dataTypes,
    subject: check.name,
    raiseOnMissing: true,
    undefinedProperty: (p) => `Undefined property ${p} in default value of input ${check.name}.`,
    missingProperty: (p) => `Value of input ${check.name} is missing property ${p}.`,
  };
  try {
    return parseValue(value, definition.type, [], env);
  } catch (error) {
    if (!(error instanceof SchemaViolation)) throw error;
    fail(error.message, [...check.path, 'default', ...error.path], check, error.code);
  }
}

/**
 * The default must satisfy the input's constraints (for a typed list: each item its type and
 * the constraints). Existence checks of object-based types need storage and are not done.
 */
function checkDefaultAgainstConstraints(
  definition: PropertySchema,
  value: Json,
  check: InputCheck,
): void {
  const [problem] = valueProblems(check.name, value, definition, {});
  if (problem) fail(problem.message, [...check.path, 'default'], check, problem.code);
}

/**
 * Validates input definitions at parse time and returns them with defaults completed
 * (nested data-type defaults filled in), as Cloudify's plan stores them.
 */
export function parseInputDefinitions(
  inputs: Record<string, PropertySchema>,
  ctx: SchemaContext & { version: DslVersion },
): Record<string, PropertySchema> {
  const dataTypes = resolvedDataTypesOf(ctx.dataTypes, ctx.locate);
  const result: Record<string, PropertySchema> = {};
  for (const [name, raw] of Object.entries(inputs)) {
    const check: InputCheck = {
      name,
      path: [...ctx.path, name],
      version: ctx.version,
      dataTypes,
      locate: ctx.locate,
    };
    const candidate: unknown = raw ?? {};
    if (!isObject(candidate)) {
      fail(`Input '${name}' must be a mapping`, check.path, check, SCHEMA_FORMAT_ERROR);
    }
    checkShape(candidate, check);
    // The shape was just checked, so the mapping is a PropertySchema.
    const definition = candidate as PropertySchema;
    checkVersionGates(definition, check);
    checkTypes(definition, check);
    checkHiddenRequired(definition, check);
    checkConstraintDefinitions(definition.constraints ?? [], check);
    const parsedDefault = parseDefault(definition, check);
    if (parsedDefault !== undefined && parsedDefault !== null) {
      checkDefaultAgainstConstraints(definition, parsedDefault, check);
    }
    result[name] =
      parsedDefault === undefined ? { ...definition } : { ...definition, default: parsedDefault };
  }
  return result;
}

/**
 * Validates input definitions at parse time: types (primitive, data types, the 1_4 object
 * types and 1_5 operation_name, version-gated, code 102), constraint operators (103) and
 * their arguments (212), functions together with constraints (213), defaults against their
 * type or data type (105/106/107) and constraints, hidden required inputs without default
 * (215), `display` on a non-textarea (216) and `item_type` misuse (217/218).
 */
export function validateInputDefinitions(
  inputs: Record<string, PropertySchema>,
  ctx: SchemaContext & { version: DslVersion },
): void {
  parseInputDefinitions(inputs, ctx);
}

// ---------------------------------------------------------------------------------------------
// Deployment creation

export type InputErrorKind =
  'unknown_input' | 'missing_required_input' | 'input_type' | 'input_constraint';

export interface InputProblem {
  kind: InputErrorKind;
  input: string;
  message: string;
  /** Cloudify's DSL code where it has one (213 functions with constraints, 214 type/schema). */
  code?: number;
}

/**
 * Inputs given at deployment creation do not fit the blueprint. `kind` and `inputs` name the
 * problem Cloudify would report (type/constraint problems first, then missing, then unknown
 * inputs); `problems` and the message list every problem found.
 */
export class InputError extends Error {
  readonly kind: InputErrorKind;
  readonly inputs: string[];
  readonly problems: InputProblem[];

  constructor(kind: InputErrorKind, inputs: string[], problems: InputProblem[], message: string) {
    super(message);
    this.name = 'InputError';
    this.kind = kind;
    this.inputs = inputs;
    this.problems = problems;
  }
}

/** Type and constraint problems of one value (each item of a typed list on its own). */
function valueProblems(
  name: string,
  value: Json,
  definition: PropertySchema,
  options: { strictObjectTypes?: boolean },
): InputProblem[] {
  const { type, item_type: itemType } = definition;
  if (type === 'list' && itemType && Array.isArray(value)) {
    for (const item of value) {
      if (!matchesSimpleType(item, itemType, options)) {
        const message =
          `Property type validation failed in '${name}': the defined type is '${itemType}', yet ` +
          `it was assigned with the value '${pyStr(item)}'`;
        return [{ kind: 'input_type', input: name, message, code: DSL_ERROR_CODES.typeMismatch }];
      }
      const problems = constraintProblems(name, item, definition.constraints ?? [], itemType);
      if (problems.length) return problems;
    }
    return [];
  }
  if (type !== undefined && isObjectBasedType(type) && !matchesSimpleType(value, type, options)) {
    const message =
      `Property type validation failed in '${name}': the defined type is '${type}', yet it was ` +
      `assigned with the value '${pyStr(value)}'`;
    return [{ kind: 'input_type', input: name, message, code: DSL_ERROR_CODES.typeMismatch }];
  }
  return constraintProblems(name, value, definition.constraints ?? [], type);
}

function constraintProblems(
  name: string,
  value: Json,
  constraints: JsonObject[],
  type: string | undefined,
): InputProblem[] {
  if (constraints.length === 0) return [];
  if (isFunctionValue(value)) {
    const message =
      `Input value ${pyStr(value)}, of input ${name}, cannot contain an intrinsic function and ` +
      'also have constraints.';
    return [
      {
        kind: 'input_constraint',
        input: name,
        message,
        code: DSL_ERROR_CODES.inputWithFunctionsAndConstraints,
      },
    ];
  }
  return checkConstraints(value, constraints, [name], type).map((message) => ({
    kind: 'input_constraint' as const,
    input: name,
    message,
  }));
}

function deploymentEnv(
  name: string,
  dataTypes: ResolvedDataTypes,
  raiseOnMissing: boolean,
): ParseEnv {
  return {
    dataTypes,
    subject: name,
    raiseOnMissing,
    strictObjectTypes: true,
    undefinedProperty: (p) => `Undefined property ${p} in value of input ${name}.`,
    missingProperty: (p) => `Value of input ${name} is missing property ${p}.`,
  };
}

/**
 * A data-typed input left out may still be complete from its data type's defaults alone.
 * Anything else (or an incomplete data type) yields undefined.
 */
function valueFromTypeDefaults(
  name: string,
  type: string | undefined,
  dataTypes: ResolvedDataTypes,
): Json | undefined {
  if (type === undefined || isPrimitiveType(type) || !Object.hasOwn(dataTypes, type))
    return undefined;
  try {
    const value = parseValue({}, type, [], deploymentEnv(name, dataTypes, true));
    return isObject(value) && Object.keys(value).length > 0 ? value : undefined;
  } catch (error) {
    if (error instanceof SchemaViolation) return undefined;
    throw error;
  }
}

export interface ResolveInputOptions {
  /** Turn strings spelling numbers/booleans into them first (deployment updates use this). */
  autoCorrectTypes?: boolean;
}

/**
 * Deployment-create time: merges provided values with defaults and checks them. Unknown
 * input → 'unknown_input'; missing required → 'missing_required_input'; type or data-type
 * schema violations → 'input_type'; constraint violations → 'input_constraint'. Throws one
 * InputError listing every problem. Object-based types (deployment_id, …) are checked only
 * for being strings; their existence (and storage filters like name_pattern) is the REST
 * service's job.
 */
export function resolveInputValues(
  definitions: Record<string, PropertySchema>,
  provided: JsonObject,
  dataTypes: ResolvedDataTypes,
  options: ResolveInputOptions = {},
): JsonObject {
  const result: JsonObject = {};
  const problems: InputProblem[] = [];
  for (const [name, rawDefinition] of Object.entries(definitions)) {
    const definition: PropertySchema = rawDefinition ?? {};
    let value: Json | undefined;
    if (Object.hasOwn(provided, name)) value = provided[name];
    else if (definition.default !== undefined && definition.default !== null)
      value = definition.default;
    else value = valueFromTypeDefaults(name, definition.type, dataTypes);
    if (value === undefined) {
      if (definition.required ?? true) {
        const message = `Required input '${name}' was not specified`;
        problems.push({ kind: 'missing_required_input', input: name, message });
      } else {
        result[name] = null;
      }
      continue;
    }
    if (options.autoCorrectTypes) value = castToType(value, definition.type);
    const found = valueProblems(name, value, definition, { strictObjectTypes: true });
    if (found.length) {
      problems.push(...found);
      continue;
    }
    try {
      result[name] = parseValue(value, definition.type, [], deploymentEnv(name, dataTypes, true));
    } catch (error) {
      if (!(error instanceof SchemaViolation)) throw error;
      problems.push({
        kind: 'input_type',
        input: name,
        message: error.message,
        code: DSL_ERROR_CODES.inputViolatesDataType,
      });
    }
  }
  for (const name of Object.keys(provided)) {
    if (!Object.hasOwn(definitions, name)) {
      const message = `Unknown input '${name}' specified`;
      problems.push({ kind: 'unknown_input', input: name, message });
    }
  }
  if (problems.length) throw inputError(problems, Object.keys(definitions));
  return result;
}

function pyNameList(names: string[]): string {
  return pyRepr(names);
}

/** Builds the error: Cloudify's precedence picks the kind, the message lists every problem. */
function inputError(problems: InputProblem[], expected: string[]): InputError {
  const valueProblemsFound = problems.filter(
    (p) => p.kind === 'input_type' || p.kind === 'input_constraint',
  );
  const missing = problems.filter((p) => p.kind === 'missing_required_input').map((p) => p.input);
  const unknown = problems.filter((p) => p.kind === 'unknown_input').map((p) => p.input);
  const lines = valueProblemsFound.map((p) => p.message);
  if (missing.length) {
    lines.push(
      `Required inputs ${pyNameList(missing)} were not specified - expected inputs: ` +
        pyNameList(expected),
    );
  }
  if (unknown.length) {
    lines.push(
      `Unknown inputs ${pyNameList(unknown)} specified - expected inputs: ${pyNameList(expected)}`,
    );
  }
  let kind: InputErrorKind;
  let names: string[];
  if (valueProblemsFound.length) {
    kind = valueProblemsFound[0].kind;
    names = [...new Set(valueProblemsFound.filter((p) => p.kind === kind).map((p) => p.input))];
  } else if (missing.length) {
    kind = 'missing_required_input';
    names = missing;
  } else {
    kind = 'unknown_input';
    names = unknown;
  }
  return new InputError(kind, names, problems, lines.join('\n'));
}
