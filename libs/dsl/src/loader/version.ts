import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { Json } from '../json';

/** `cloudify_dsl_1_3` as numbers [1, 3, 0]. */
export type DslVersion = [number, number, number];

export const DEFINITIONS_NAME = 'cloudify_dsl';
const SUPPORTED = /^cloudify_dsl_1_([0-5])$/;

/** Parses `tosca_definitions_version`; anything but cloudify_dsl_1_0 … 1_5 is code 29. */
export function parseDslVersion(raw: Json | undefined, locate?: Locate): DslVersion {
  const path = ['tosca_definitions_version'];
  if (raw === undefined || raw === null) {
    throw dslError('tosca_definitions_version is missing', path, {
      code: DSL_ERROR_CODES.unsupportedVersion,
      locate,
    });
  }
  const match = typeof raw === 'string' ? SUPPORTED.exec(raw) : null;
  if (!match) {
    throw dslError(
      `unsupported tosca_definitions_version ${JSON.stringify(raw)}; supported: cloudify_dsl_1_0 to cloudify_dsl_1_5`,
      path,
      { code: DSL_ERROR_CODES.unsupportedVersion, locate },
    );
  }
  return [1, Number(match[1]), 0];
}

export function versionName(version: DslVersion): string {
  return `${DEFINITIONS_NAME}_${version[0]}_${version[1]}`;
}

/** -1, 0 or 1 as a is older, equal or newer than b. */
export function compareVersions(a: DslVersion, b: DslVersion): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

export const DSL_1_1: DslVersion = [1, 1, 0];
export const DSL_1_2: DslVersion = [1, 2, 0];
export const DSL_1_3: DslVersion = [1, 3, 0];
export const DSL_1_4: DslVersion = [1, 4, 0];
export const DSL_1_5: DslVersion = [1, 5, 0];
