/** Top-level sections that map names to definitions, merged across imports. */
export const NAMED_SECTIONS = [
  'inputs',
  'dsl_definitions',
  'data_types',
  'plugins',
  'node_types',
  'relationships',
  'node_templates',
  'workflows',
  'groups',
  'policies',
  'policy_types',
  'policy_triggers',
  'outputs',
  'capabilities',
  'labels',
  'blueprint_labels',
  'deployment_settings',
  'resource_tags',
] as const;

export type NamedSection = (typeof NAMED_SECTIONS)[number];

/** Every top-level key a blueprint may have. */
export const TOP_LEVEL_KEYS = new Set<string>([
  'tosca_definitions_version',
  'description',
  'metadata',
  'imports',
  ...NAMED_SECTIONS,
]);

/** The prefix separator of namespaced imports: `ns--file.yaml` defines `ns--<name>`. */
export const NAMESPACE_DELIMITER = '--';
