export type {
  DataTypeDefinition,
  PropertyMessages,
  PropertySchema,
  ResolvedDataTypes,
  SchemaContext,
} from './types';
export { isPrimitiveType, OBJECT_BASED_TYPES, PRIMITIVE_TYPES } from './types';
export type { SchemaOwner } from './data-types';
export { resolveDataTypes, resolveTypeProperties } from './data-types';
export { applyPropertySchema } from './property-schema';
export type { DslVersion, InputErrorKind, InputProblem, ResolveInputOptions } from './inputs';
export {
  InputError,
  parseInputDefinitions,
  resolveInputValues,
  validateInputDefinitions,
} from './inputs';
export { checkConstraints, CONSTRAINT_NAMES, describeConstraint } from './constraints';
export { castToType, isFunctionValue, matchesSimpleType } from './value-types';
