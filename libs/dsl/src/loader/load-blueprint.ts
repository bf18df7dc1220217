import { dirname, isAbsolute, resolve } from 'node:path';
import { builtinTypesYaml } from '../builtin/builtin-types';
import { DSL_ERROR_CODES, DslError, dslError, Locate } from '../errors';
import { isObject, Json, jsonEqual, JsonObject } from '../json';
import { defaultReadFile, ImportSources } from './import-sources';
import { LocalNames, Namespacer } from './namespace';
import { NAMED_SECTIONS, NAMESPACE_DELIMITER, TOP_LEVEL_KEYS } from './sections';
import { compareVersions, DslVersion, parseDslVersion, versionName } from './version';
import { parseYamlFile, YamlFile } from './yaml-file';

/** The blueprint with every import merged in, as one set of sections. */
export interface LoadedBlueprint {
  version: DslVersion;
  rawVersion: string;
  mainFile: string;
  /** Merged named sections (node_types, node_templates, …), plus description and metadata. */
  sections: JsonObject;
  /** Where a path of `sections` was written (the defining file, line and column). */
  locate: Locate;
  /** Names the built-in types.yaml defines, per section (never namespaced). */
  builtinNames: LocalNames;
  importedBlueprints: string[];
  namespacesMapping: JsonObject;
}

interface Origin {
  locate: Locate;
  name: string;
}

/** The merged content of one file and everything it imports. */
interface Subtree {
  sections: JsonObject;
  metadata: JsonObject;
  origins: Map<string, Origin>;
}

const BUILTIN_FILE = 'cloudify/types/types.yaml';
/** Old blueprints import the types by a versioned URL; the manager answers it locally. */
const BUILTIN_URL = /\/spec\/cloudify\/[^/]+\/types\.yaml$|(^|\/)cloudify\/types\/types\.yaml$/;

function originKey(section: string, name: string): string {
  return `${section}\u0000${name}`;
}

/**
 * Loads a blueprint and its imports (relative files, the built-in types, `plugin:`, `blueprint:`,
 * URLs and `ns--` namespaced forms) into one set of sections. Identical duplicate definitions are
 * fine; different ones are an import conflict (code 4). An imported file may not declare a newer
 * DSL version than the blueprint (code 102).
 */
export async function loadBlueprint(
  text: string,
  file: string,
  sources: ImportSources = {},
): Promise<LoadedBlueprint> {
  const main = parseYamlFile(text, file);
  const version = parseDslVersion(main.value.tosca_definitions_version, main.locate);
  const loader = new ImportLoader(version, sources);
  checkTopLevel(main);
  const subtree = await loader.load(main, new Set([file]));
  const locate: Locate = (path) => {
    if (path.length >= 2) {
      const origin = subtree.origins.get(originKey(String(path[0]), String(path[1])));
      if (origin) return origin.locate([path[0], origin.name, ...path.slice(2)]);
    }
    return main.locate(path);
  };
  const sections: JsonObject = {
    ...subtree.sections,
    description: main.value.description ?? null,
    metadata: subtree.metadata,
  };
  return {
    version,
    rawVersion: versionName(version),
    mainFile: file,
    sections,
    locate,
    builtinNames: loader.builtinNames,
    importedBlueprints: loader.importedBlueprints,
    namespacesMapping: loader.namespacesMapping,
  };
}

function checkTopLevel(yaml: YamlFile): void {
  for (const key of Object.keys(yaml.value)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw dslError(`unknown top-level section '${key}'`, [key], { locate: yaml.locate });
    }
  }
  for (const section of NAMED_SECTIONS) {
    const content = yaml.value[section];
    if (content !== undefined && content !== null && !isObject(content)) {
      throw dslError(`'${section}' must be a mapping`, [section], { locate: yaml.locate });
    }
  }
  const imports = yaml.value.imports;
  if (imports !== undefined && imports !== null && !Array.isArray(imports)) {
    throw dslError(`'imports' must be a list`, ['imports'], { locate: yaml.locate });
  }
}

class ImportLoader {
  readonly builtinNames: LocalNames = {};
  readonly importedBlueprints: string[] = [];
  readonly namespacesMapping: JsonObject = {};

  constructor(
    private readonly version: DslVersion,
    private readonly sources: ImportSources,
  ) {}

  async load(yaml: YamlFile, chain: Set<string>): Promise<Subtree> {
    const merged: Subtree = { sections: {}, metadata: {}, origins: new Map() };
    const imports = (yaml.value.imports ?? []) as Json[];
    for (let index = 0; index < imports.length; index++) {
      const spec = imports[index];
      const path = ['imports', index];
      if (typeof spec !== 'string' || spec.trim() === '') {
        throw dslError('an import must be a non-empty string', path, { locate: yaml.locate });
      }
      const imported = await this.loadImport(spec.trim(), yaml, path, chain);
      if (imported) mergeSubtree(merged, imported, (p) => yaml.locate(p), path);
    }
    mergeSubtree(merged, ownSubtree(yaml), yaml.locate, []);
    return merged;
  }

  private async loadImport(
    spec: string,
    from: YamlFile,
    path: (string | number)[],
    chain: Set<string>,
  ): Promise<Subtree | undefined> {
    const { namespace, target } = splitNamespace(spec);
    if (BUILTIN_URL.test(target)) return this.loadBuiltin();
    const resolved = await this.resolve(target, from, path);
    if (chain.has(resolved.file)) return undefined; // imported already on this path: a cycle is harmless
    const yaml = parseYamlFile(resolved.text, resolved.file);
    checkTopLevel(yaml);
    this.checkImportedVersion(yaml);
    const subtree = await this.load(yaml, new Set([...chain, resolved.file]));
    if (target.startsWith('blueprint:')) {
      const id = target.slice('blueprint:'.length);
      this.importedBlueprints.push(id);
      if (namespace) this.namespacesMapping[namespace] = id;
    }
    return namespace ? this.namespaced(subtree, namespace) : subtree;
  }

  private async resolve(
    target: string,
    from: YamlFile,
    path: (string | number)[],
  ): Promise<{ file: string; text: string }> {
    const fail = (message: string) => dslError(message, path, { locate: from.locate });
    if (target.startsWith('plugin:')) {
      const [name, query = ''] = target.slice('plugin:'.length).split('?');
      const params = Object.fromEntries(new URLSearchParams(query));
      const found = await this.sources.pluginYaml?.(name, params);
      if (!found) throw fail(`plugin '${name}' is not uploaded (import '${target}')`);
      return found;
    }
    if (target.startsWith('blueprint:')) {
      const id = target.slice('blueprint:'.length);
      const found = await this.sources.blueprintYaml?.(id);
      if (!found) throw fail(`blueprint '${id}' is not uploaded (import '${target}')`);
      return found;
    }
    if (/^https?:\/\//.test(target)) {
      if (!this.sources.fetchUrl)
        throw fail(`cannot import '${target}': URL imports are not available offline`);
      try {
        return { file: target, text: await this.sources.fetchUrl(target) };
      } catch (error) {
        throw fail(`cannot import '${target}': ${(error as Error).message}`);
      }
    }
    const file = isAbsolute(target) ? target : resolve(dirname(from.file), target);
    try {
      return { file, text: await (this.sources.readFile ?? defaultReadFile)(file) };
    } catch (error) {
      throw fail(`cannot import '${target}': ${(error as Error).message}`);
    }
  }

  private checkImportedVersion(yaml: YamlFile): void {
    const raw = yaml.value.tosca_definitions_version;
    if (raw === undefined) return;
    const imported = parseDslVersion(raw, yaml.locate);
    if (compareVersions(imported, this.version) > 0) {
      throw dslError(
        `imported file declares ${versionName(imported)}, newer than the blueprint's ${versionName(this.version)}`,
        ['tosca_definitions_version'],
        { code: DSL_ERROR_CODES.versionMismatch, locate: yaml.locate },
      );
    }
  }

  private loadBuiltin(): Subtree {
    const builtin = builtinSubtree();
    for (const [section, content] of Object.entries(builtin.sections)) {
      if (isObject(content)) this.builtinNames[section] = new Set(Object.keys(content));
    }
    return builtin;
  }

  private namespaced(subtree: Subtree, namespace: string): Subtree {
    const local: LocalNames = {};
    for (const [section, content] of Object.entries(subtree.sections)) {
      if (!isObject(content)) continue;
      const builtin = this.builtinNames[section];
      local[section] = new Set(Object.keys(content).filter((name) => !builtin?.has(name)));
    }
    const namespacer = new Namespacer(namespace, local);
    const origins = new Map<string, Origin>();
    for (const [key, origin] of subtree.origins) {
      const [section, name] = key.split('\u0000');
      origins.set(originKey(section, namespacer.name(section, name)), origin);
    }
    return {
      sections: namespacer.applyToSections(subtree.sections),
      metadata: subtree.metadata,
      origins,
    };
  }
}

let builtinCache: Subtree | undefined;

/** The built-in types, parsed once per process (they never change; merging copies nothing). */
function builtinSubtree(): Subtree {
  if (!builtinCache) {
    builtinCache = ownSubtree(parseYamlFile(builtinTypesYaml(), BUILTIN_FILE));
    // Shared by every parse: frozen, so a mutation anywhere fails loudly instead of leaking.
    deepFreeze(builtinCache.sections);
  }
  return builtinCache;
}

function deepFreeze(value: Json): void {
  if (Array.isArray(value)) value.forEach(deepFreeze);
  else if (isObject(value)) Object.values(value).forEach(deepFreeze);
  Object.freeze(value);
}

/** `ns--path` → namespace and path; the delimiter must come before any `:` or `/`. */
function splitNamespace(spec: string): { namespace?: string; target: string } {
  const at = spec.indexOf(NAMESPACE_DELIMITER);
  if (at <= 0) return { target: spec };
  const head = spec.slice(0, at);
  if (/[:/]/.test(head)) return { target: spec };
  return { namespace: head, target: spec.slice(at + NAMESPACE_DELIMITER.length) };
}

function ownSubtree(yaml: YamlFile): Subtree {
  const sections: JsonObject = {};
  const origins = new Map<string, Origin>();
  for (const section of NAMED_SECTIONS) {
    const content = yaml.value[section];
    if (!isObject(content)) continue;
    sections[section] = content;
    for (const name of Object.keys(content))
      origins.set(originKey(section, name), { locate: yaml.locate, name });
  }
  const metadata = isObject(yaml.value.metadata) ? yaml.value.metadata : {};
  return { sections, metadata, origins };
}

/** Merges `from` into `into`; a name defined twice differently is an import conflict (code 4). */
function mergeSubtree(
  into: Subtree,
  from: Subtree,
  locate: Locate,
  importPath: (string | number)[],
): void {
  for (const [section, content] of Object.entries(from.sections)) {
    if (!isObject(content)) continue;
    const target = (into.sections[section] ??= {}) as JsonObject;
    for (const [name, definition] of Object.entries(content)) {
      if (name in target && !jsonEqual(target[name], definition)) {
        const origin = from.origins.get(originKey(section, name));
        throw new DslError(`'${name}' is defined differently in two imported files`, {
          code: DSL_ERROR_CODES.importConflict,
          path: [section, name],
          location: origin ? origin.locate([section, origin.name]) : locate(importPath),
        });
      }
      target[name] = definition;
      const origin = from.origins.get(originKey(section, name));
      if (origin && !into.origins.has(originKey(section, name)))
        into.origins.set(originKey(section, name), origin);
    }
  }
  Object.assign(into.metadata, from.metadata);
}
