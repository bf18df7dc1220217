import { BadParametersError, parseTimestamp, Visibility, VISIBILITIES } from '@nestify/common';
import { parseBoolean, pyList, RawQuery } from '../common/list/list-query';
import { PluginUploadParams } from './plugin-upload.service';

const PLUGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,255}$/;

function optionalString(value: unknown, name: string): string | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined || last === null || last === '') return undefined;
  if (typeof last !== 'string') throw new BadParametersError(`\`${name}\` must be a string`);
  return last;
}

function readVisibility(raw: RawQuery): Visibility | undefined {
  const visibility = optionalString(raw.visibility, 'visibility');
  const privateResource = parseBoolean(raw.private_resource, 'private_resource', false);
  if (privateResource && visibility && visibility !== Visibility.Private) {
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

/**
 * POST /plugins parameters: the query string (what Cloudify's client sends) overlaid with any
 * multipart text fields. `id` and `uploaded_at` are Cloudify's internal (snapshot) parameters.
 */
export function readPluginUploadParams(query: RawQuery, form: RawQuery = {}): PluginUploadParams {
  const raw: RawQuery = { ...query, ...form };
  const id = optionalString(raw.id, 'id');
  if (id !== undefined && !PLUGIN_ID.test(id)) {
    throw new BadParametersError(`Invalid plugin id \`${id}\``);
  }
  const uploadedAtText = optionalString(raw.uploaded_at, 'uploaded_at');
  const uploadedAt = uploadedAtText === undefined ? undefined : parseTimestamp(uploadedAtText);
  if (uploadedAt === null) {
    throw new BadParametersError(`Invalid \`uploaded_at\`: ${uploadedAtText}`);
  }
  return {
    visibility: readVisibility(raw),
    title: optionalString(raw.title, 'title'),
    id,
    uploadedAt,
    archiveUrl: optionalString(raw.plugin_archive_url, 'plugin_archive_url'),
  };
}
