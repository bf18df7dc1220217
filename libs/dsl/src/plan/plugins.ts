import { dslError, Locate } from '../errors';
import { isObject, Json, JsonObject } from '../json';

export const CENTRAL_DEPLOYMENT_AGENT = 'central_deployment_agent';
export const HOST_AGENT = 'host_agent';
export const SCRIPT_PLUGIN = 'script';

const PLUGIN_FIELDS = [
  'source',
  'executor',
  'install',
  'install_arguments',
  'package_name',
  'package_version',
  'supported_platform',
  'distribution',
  'distribution_version',
  'distribution_release',
  'properties_description',
  'properties',
] as const;

/** The plugins section as plan dicts: every field present (null when unset), `install` default true. */
export function readPlugins(
  section: Json | undefined,
  locate?: Locate,
): Record<string, JsonObject> {
  const plugins: Record<string, JsonObject> = {};
  if (!isObject(section)) return plugins;
  for (const [name, raw] of Object.entries(section)) {
    const path = ['plugins', name];
    if (!isObject(raw)) throw dslError('a plugin must be a mapping', path, { locate });
    for (const key of Object.keys(raw)) {
      if (!(PLUGIN_FIELDS as readonly string[]).includes(key))
        throw dslError(`unknown plugin field '${key}'`, [...path, key], { locate });
    }
    if (raw.executor !== CENTRAL_DEPLOYMENT_AGENT && raw.executor !== HOST_AGENT) {
      throw dslError(
        `executor must be ${CENTRAL_DEPLOYMENT_AGENT} or ${HOST_AGENT}`,
        [...path, 'executor'],
        {
          locate,
        },
      );
    }
    const plugin: JsonObject = {};
    for (const key of PLUGIN_FIELDS) plugin[key] = raw[key] ?? null;
    plugin.install = raw.install ?? true;
    if (plugin.install === true && !plugin.source && !plugin.package_name) {
      throw dslError(
        `plugin '${name}' needs to be installed but declares no source or package_name`,
        path,
        {
          code: 50,
          locate,
        },
      );
    }
    plugin.name = name;
    plugins[name] = plugin;
  }
  return plugins;
}
