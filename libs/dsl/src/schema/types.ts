import { Locate } from '../errors';
import { Json, JsonObject } from '../json';

/** One property (or input, or parameter) of a schema, as written in the blueprint. */
export interface PropertySchema {
  type?: string;
  default?: Json;
  required?: boolean;
  description?: string;
  constraints?: JsonObject[];
  item_type?: string;
  hidden?: boolean;
  display_label?: string;
  display?: JsonObject;
}

export interface DataTypeDefinition {
  derived_from?: string;
  description?: string;
  properties?: Record<string, PropertySchema>;
}

/** Effective property schema of every data type (derivation merged, nested defaults filled). */
export type ResolvedDataTypes = Record<string, Record<string, PropertySchema>>;

/** Messages for an unknown / a missing property, given the dotted path of the property. */
export interface PropertyMessages {
  undefinedProperty?: (propertyPath: string) => string;
  missingProperty?: (propertyPath: string) => string;
}

export interface SchemaContext {
  /** The blueprint's data types, as written or already resolved (derivation is resolved here either way). */
  dataTypes: Record<string, DataTypeDefinition>;
  /** Where the checked values live in the blueprint, e.g. ['node_templates', 'vm', 'properties']. */
  path: (string | number)[];
  locate?: Locate;
  /** Names the owner in messages (e.g. the node template's name); defaults to the dotted path. */
  subject?: string;
  messages?: PropertyMessages;
}

export const OBJECT_BASED_TYPES_DSL_1_4: readonly string[] = [
  'blueprint_id',
  'deployment_id',
  'capability_value',
  'scaling_group',
  'node_id',
  'node_type',
  'node_instance',
  'secret_key',
];
export const OBJECT_BASED_TYPES_DSL_1_5: readonly string[] = ['operation_name'];
export const OBJECT_BASED_TYPES: readonly string[] = [
  ...OBJECT_BASED_TYPES_DSL_1_4,
  ...OBJECT_BASED_TYPES_DSL_1_5,
];

/** Types a user may name without declaring them; data types may not reuse these names. */
export const PRIMITIVE_TYPES: readonly string[] = [
  'string',
  'integer',
  'float',
  'boolean',
  'list',
  'dict',
  'regex',
  'textarea',
  ...OBJECT_BASED_TYPES,
];

export function isPrimitiveType(name: string): boolean {
  return PRIMITIVE_TYPES.includes(name);
}

export function isObjectBasedType(name: string): boolean {
  return OBJECT_BASED_TYPES.includes(name);
}

/** Cloudify codes this module raises that the shared DSL_ERROR_CODES table does not list. */
export const SCHEMA_FORMAT_ERROR = 1;
export const INVALID_ITEM_TYPE = 217;
export const ITEM_TYPE_FOR_INVALID_TYPE = 218;
