import { BadParametersError, Visibility, VISIBILITIES } from '@nestify/common';
import { parseBoolean, pyList, RawQuery } from '../common/list/list-query';
import { LabelPair } from './blueprints.repository';
import { parseLabelParam } from './blueprint-labels';

/** Cloudify's default main file when `application_file_name` is not given. */
export const DEFAULT_MAIN_FILE = 'blueprint.yaml';

/** What PUT /blueprints/{id} was asked to do, from the multipart `params` or the query string. */
export interface UploadParams {
  /** Undefined: the default (tenant), or private for the legacy `private_resource`. */
  visibility?: Visibility;
  asyncUpload: boolean;
  /** The main yaml inside the archive's folder (url-decoded). */
  applicationFileName: string;
  labels: LabelPair[];
  archiveUrl?: string;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadParametersError(`\`${name}\` must be a string`);
  return value;
}

function readVisibility(raw: Record<string, unknown>): Visibility | undefined {
  const visibility = optionalString(raw.visibility, 'visibility');
  const privateResource = parseBoolean(raw.private_resource, 'private_resource', false);
  if (privateResource && visibility) {
    throw new BadParametersError(
      'The `private_resource` and `visibility` parameters cannot be used together',
    );
  }
  if (privateResource) return Visibility.Private;
  if (visibility !== undefined && !(VISIBILITIES as string[]).includes(visibility)) {
    throw new BadParametersError(
      `Invalid visibility: \`${visibility}\`. Valid visibility's values are: ${pyList(VISIBILITIES)}`,
    );
  }
  return visibility as Visibility | undefined;
}

function readFileName(raw: unknown): string {
  const quoted = optionalString(raw, 'application_file_name');
  if (quoted === undefined) return DEFAULT_MAIN_FILE;
  try {
    return decodeURIComponent(quoted);
  } catch {
    throw new BadParametersError(`Invalid \`application_file_name\`: ${quoted}`);
  }
}

function parseJsonParams(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadParametersError('The `params` part of the request is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadParametersError('The `params` part of the request must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads the upload parameters the way Cloudify does: the multipart `params` JSON when present,
 * else the query string (legacy raw-body uploads). Booleans may be JSON booleans or `True`/`False`.
 */
export function readUploadParams(multipartParams: unknown, query: RawQuery): UploadParams {
  const fromForm = typeof multipartParams === 'string' && multipartParams.trim() !== '';
  const raw: Record<string, unknown> = fromForm ? parseJsonParams(multipartParams) : query;
  const labels = fromForm ? raw.labels : undefined;
  return {
    visibility: readVisibility(raw),
    asyncUpload: parseBoolean(raw.async_upload, 'async_upload', false),
    applicationFileName: readFileName(raw.application_file_name),
    labels: parseLabelParam(labels),
    archiveUrl: optionalString(raw.blueprint_archive_url, 'blueprint_archive_url'),
  };
}
