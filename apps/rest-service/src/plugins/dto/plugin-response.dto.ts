import { Visibility } from '@nestify/common';

/** Where a plugin is installed (rows of plugins_states). */
export class PluginInstallationStateDto {
  /** Hostname of the manager, or null for an agent's state. */
  manager: string | null;
  /** Name of the agent, or null for a manager's state. */
  agent: string | null;
  state: string | null;
  error: string | null;
}

/** An uploaded plugin as Cloudify returns it. */
export class PluginResponseDto {
  id: string;
  package_name: string;
  package_version: string | null;
  /** The stored package file (`GET /plugins/{id}/archive`): the wagon, npm tarball or zip. */
  archive_name: string;
  package_source: string | null;
  supported_platform: unknown;
  supported_py_versions: string[] | null;
  distribution: string | null;
  distribution_version: string | null;
  distribution_release: string | null;
  wheels: string[];
  excluded_wheels: string[] | null;
  uploaded_at: string | null;
  title: string | null;
  blueprint_labels: Record<string, unknown> | null;
  labels: Record<string, unknown> | null;
  resource_tags: Record<string, unknown> | null;
  installation_state: PluginInstallationStateDto[];
  /** The plugin's yaml files, relative to the file-server root. */
  yaml_files_paths: string[];
  /** How blueprints import it: `plugin:<name>?version=<v>&distribution=<d>`; '' without yaml. */
  yaml_url_path: string;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
  /** Legacy duplicate of `visibility`. */
  resource_availability: Visibility;
  /** Legacy: whether `visibility` is private. */
  private_resource: boolean;
}

export const PLUGIN_FIELDS = [
  'id',
  'package_name',
  'package_version',
  'archive_name',
  'package_source',
  'supported_platform',
  'supported_py_versions',
  'distribution',
  'distribution_version',
  'distribution_release',
  'wheels',
  'excluded_wheels',
  'uploaded_at',
  'title',
  'blueprint_labels',
  'labels',
  'resource_tags',
  'installation_state',
  'yaml_files_paths',
  'yaml_url_path',
  'visibility',
  'tenant_name',
  'created_by',
  'resource_availability',
  'private_resource',
] as const;
