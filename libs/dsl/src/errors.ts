/** Where in which file a problem is: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** Cloudify's DSL error codes (shared/spec/dsl.md §9) that nestify raises. */
export const DSL_ERROR_CODES = {
  importConflict: 4,
  unknownNodeType: 7,
  relationshipToSelf: 23,
  missingHostRelationship: 24,
  undefinedTargetNode: 25,
  undefinedRelationshipType: 26,
  unsupportedVersion: 29,
  cycle: 100,
  illegalValueAccess: 101,
  versionMismatch: 102,
  unknownType: 103,
  invalidTypeName: 104,
  typeMismatch: 105,
  undefinedProperty: 106,
  missingRequiredProperty: 107,
  invalidCharacters: 108,
  multipleContainedIn: 112,
  groupCycle: 200,
  nodeInSeveralGroups: 201,
  nonContainedGroupMembers: 202,
  unsupportedPolicy: 204,
  nonGroupTarget: 205,
  noTargets: 206,
  invalidInstanceCounts: 207,
  invalidLiteralInstances: 208,
  deployWithCapabilities: 209,
  invalidDictValue: 210,
  groupAndNodeSameName: 211,
  invalidConstraintArgument: 212,
  inputWithFunctionsAndConstraints: 213,
  inputViolatesDataType: 214,
  hiddenRequiredInput: 215,
  displayOnWrongType: 216,
  invalidItemType: 217,
  itemTypeForInvalidType: 218,
  functionNotPermitted: 219,
} as const;

/**
 * A problem with a blueprint: bad YAML, a schema violation, an unknown name. Names the file,
 * line and column, the path inside the blueprint (`node_templates.vm.properties.ip`) and, where
 * Cloudify has one, its numeric error code. Never thrown for a bug of ours.
 */
export class DslError extends Error {
  readonly code?: number;
  readonly path: string;
  readonly location?: SourceLocation;

  constructor(
    message: string,
    options: { code?: number; path?: (string | number)[] | string; location?: SourceLocation } = {},
  ) {
    super(message);
    this.name = 'DslError';
    this.code = options.code;
    this.path = Array.isArray(options.path) ? options.path.join('.') : (options.path ?? '');
    this.location = options.location;
  }

  /** One readable line: `blueprint.yaml:12:7: node_templates.vm.type: <message> (code 7)`. */
  describe(): string {
    const where = this.location
      ? [this.location.file, this.location.line, this.location.column]
          .filter((p) => p !== undefined)
          .join(':')
      : '';
    const parts = [where, this.path].filter(Boolean);
    const code = this.code !== undefined ? ` (code ${this.code})` : '';
    return `${parts.length ? `${parts.join(': ')}: ` : ''}${this.message}${code}`;
  }
}

export function isDslError(error: unknown): error is DslError {
  return error instanceof DslError;
}

/** Finds where a path of the (merged) blueprint was written; undefined when it is not known. */
export type Locate = (path: readonly (string | number)[]) => SourceLocation | undefined;

/** Builds a DslError located at `path`. */
export function dslError(
  message: string,
  path: readonly (string | number)[],
  options: { code?: number; locate?: Locate } = {},
): DslError {
  return new DslError(message, {
    code: options.code,
    path: [...path],
    location: options.locate?.(path),
  });
}
