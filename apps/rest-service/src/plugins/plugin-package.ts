import { isMap, parseDocument } from 'yaml';
import { InvalidPluginError } from './plugin-errors';

/** One entry of a plugin.yaml `plugins:` section (executor, package_name, package_version…). */
export type PluginYamlEntry = Record<string, unknown>;

/** What a plugin.yaml says about the plugins it declares. */
export interface PluginYaml {
  /** The `plugins:` section: plugin name → its fields; never empty. */
  plugins: Record<string, PluginYamlEntry>;
}

/** The package metadata a plugin row takes from its archive. */
export interface PluginPackageInfo {
  packageName: string;
  packageVersion: string | null;
  packageSource: string | null;
  supportedPlatform: unknown;
  supportedPyVersions: string[] | null;
  distribution: string | null;
  distributionVersion: string | null;
  distributionRelease: string | null;
  wheels: string[];
  excludedWheels: string[] | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) ? value.map(String) : null;
}

/** Whether a file name is a plugin yaml (Cloudify takes every `*.yaml` beside the wagon). */
export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith('.');
}

/**
 * Reads a plugin.yaml: a DSL file whose `plugins:` section declares at least one plugin. Its
 * other sections (node types, workflows…) are the DSL parser's business at blueprint upload.
 */
export function readPluginYaml(text: string, file = 'plugin.yaml'): PluginYaml {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length) {
    throw new InvalidPluginError(`${file} is not valid YAML: ${document.errors[0].message}`);
  }
  if (!isMap(document.contents)) {
    throw new InvalidPluginError(`${file} must be a YAML mapping`);
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  const section = isRecord(value) ? value.plugins : undefined;
  if (!isRecord(section) || Object.keys(section).length === 0) {
    throw new InvalidPluginError(
      `${file} declares no plugins (its \`plugins:\` section is missing or empty)`,
    );
  }
  const plugins: Record<string, PluginYamlEntry> = {};
  for (const [name, entry] of Object.entries(section)) {
    if (!isRecord(entry)) {
      throw new InvalidPluginError(`${file}: plugin \`${name}\` must be a mapping`);
    }
    plugins[name] = entry;
  }
  return { plugins };
}

/**
 * The plugin a yaml is about: the one whose `package_name` is `packageName` when given, else the
 * first that declares a `package_name`, else the first.
 */
export function mainPluginEntry(
  yaml: PluginYaml,
  packageName?: string,
): { name: string; entry: PluginYamlEntry } {
  const entries = Object.entries(yaml.plugins);
  const found =
    (packageName !== undefined &&
      entries.find(([, entry]) => entry.package_name === packageName)) ||
    entries.find(([, entry]) => optionalText(entry.package_name) !== null) ||
    entries[0];
  return { name: found[0], entry: found[1] };
}

/** Package metadata of a zip holding only yaml: from the main plugin of its plugin.yaml. */
export function infoFromPluginYaml(yaml: PluginYaml): PluginPackageInfo {
  const { name, entry } = mainPluginEntry(yaml);
  return {
    packageName: optionalText(entry.package_name) ?? name,
    packageVersion: optionalText(entry.package_version),
    packageSource: optionalText(entry.source),
    supportedPlatform: optionalText(entry.supported_platform) ?? 'any',
    supportedPyVersions: null,
    distribution: optionalText(entry.distribution),
    distributionVersion: optionalText(entry.distribution_version),
    distributionRelease: optionalText(entry.distribution_release),
    wheels: [],
    excludedWheels: null,
  };
}

function parseJson(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidPluginError(`${file} is not valid JSON`);
  }
  if (!isRecord(parsed)) throw new InvalidPluginError(`${file} must hold a JSON object`);
  return parsed;
}

/** Package metadata of an npm package (a TypeScript plugin): `name` and `version` are required. */
export function infoFromPackageJson(text: string): PluginPackageInfo {
  const json = parseJson(text, 'package.json');
  const { name, version } = json;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidPluginError('package.json must name the package (`name`)');
  }
  if (typeof version !== 'string' || version.trim() === '') {
    throw new InvalidPluginError('package.json must give the package `version`');
  }
  return {
    packageName: name,
    packageVersion: version,
    packageSource: null,
    supportedPlatform: 'any',
    supportedPyVersions: null,
    distribution: null,
    distributionVersion: null,
    distributionRelease: null,
    wheels: [],
    excludedWheels: null,
  };
}

/** Package metadata of a wagon, from the `package.json` wagon writes at its top. */
export function infoFromWagonMetadata(text: string): PluginPackageInfo {
  const json = parseJson(text, 'the wagon metadata (package.json)');
  const name = optionalText(json.package_name);
  if (!name) throw new InvalidPluginError('The wagon metadata has no `package_name`');
  const build = isRecord(json.build_server_os_properties) ? json.build_server_os_properties : {};
  return {
    packageName: name,
    packageVersion: optionalText(json.package_version),
    packageSource: optionalText(json.package_source),
    supportedPlatform: json.supported_platform ?? null,
    supportedPyVersions: stringList(json.supported_python_versions),
    distribution: optionalText(build.distribution),
    distributionVersion: optionalText(build.distribution_version),
    distributionRelease: optionalText(build.distribution_release),
    wheels: stringList(json.wheels) ?? [],
    excludedWheels: stringList(json.excluded_wheels),
  };
}

/** `npm pack`'s file name: `@scope/name` 1.0.0 → `scope-name-1.0.0.tgz`. */
export function npmArchiveName(name: string, version: string): string {
  return safeFileName(`${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`);
}

/** A file name made of safe characters only (no separators, no leading dot). */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+/, '');
  return cleaned || 'plugin';
}

const DSL_VERSIONED = /_(\d+_\d+)\.ya?ml$/i;

function versionKey(version: string): number[] {
  return version.split('_').map(Number);
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/**
 * The yaml a `plugin:` import (or GET /plugins/{id}/yaml) serves, as Cloudify chooses it: the
 * file ending in `<dsl_version>.yaml` when asked for one; else the highest `_<major>_<minor>.yaml`
 * (no higher than the asked version); else the first unversioned yaml (`plugin.yaml` first).
 */
export function pickYamlFile(names: string[], dslVersion?: string): string | undefined {
  const yamls = names.filter(isYamlName).sort((a, b) => {
    if (a === 'plugin.yaml') return -1;
    if (b === 'plugin.yaml') return 1;
    return a.localeCompare(b);
  });
  if (dslVersion) {
    const direct = yamls.find((name) => name.endsWith(`${dslVersion}.yaml`));
    if (direct) return direct;
  }
  const wanted = dslVersion ? /(\d+_\d+)$/.exec(dslVersion)?.[1] : undefined;
  let best: { name: string; key: number[] } | undefined;
  for (const name of yamls) {
    const match = DSL_VERSIONED.exec(name);
    if (!match) continue;
    const key = versionKey(match[1]);
    if (wanted && compareKeys(key, versionKey(wanted)) > 0) continue;
    if (!best || compareKeys(key, best.key) > 0) best = { name, key };
  }
  if (best) return best.name;
  return yamls.find((name) => !DSL_VERSIONED.test(name));
}
