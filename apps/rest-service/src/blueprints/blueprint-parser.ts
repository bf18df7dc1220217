import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BlueprintPlan, DslError, ImportedText, ImportSources, parseBlueprint } from '@nestify/dsl';
import { resolveInside } from '../resources/file-server.service';

/** An extracted blueprint folder and the main yaml inside it. */
export interface BlueprintFolder {
  dir: string;
  mainFile: string;
}

/** What a `plugin:<name>?…` import resolved to: the plugin's yaml, or why there is none. */
export type PluginYamlSource =
  { found: true; dir: string; file: string; text: string } | { found: false; message: string };

export interface ParseInput extends BlueprintFolder {
  /** The folder of an uploaded blueprint a `blueprint:<id>` import names, if the caller sees one. */
  importedBlueprint(id: string): Promise<BlueprintFolder | undefined>;
  /** The yaml of the uploaded plugin a `plugin:<name>?version=…` import names. */
  pluginYaml(name: string, params: Record<string, string>): Promise<PluginYamlSource>;
}

const NAMESPACE_DELIMITER = '--';

function withoutNamespace(path: string): string {
  const at = path.indexOf(NAMESPACE_DELIMITER);
  return at > 0 && !/[/:]/.test(path.slice(0, at))
    ? path.slice(at + NAMESPACE_DELIMITER.length)
    : path;
}

/**
 * Where a blueprint's imports come from, confined to folders it may read: its own, those of the
 * uploaded blueprints it imports, and those of the uploaded plugins it imports. URL imports are
 * refused (the manager runs offline).
 */
class ConfinedSources implements ImportSources {
  /** Folder → how errors name it. */
  readonly roots = new Map<string, string>();
  /** Folders of imported plugins → how errors name them (readable, but hold no resources). */
  readonly pluginRoots = new Map<string, string>();

  constructor(private readonly input: ParseInput) {
    this.roots.set(input.dir, '');
  }

  inside(path: string): boolean {
    return [...this.roots.keys(), ...this.pluginRoots.keys()].some(
      (root) => resolveInside(root, path) === path,
    );
  }

  async readFile(path: string): Promise<string> {
    if (!this.inside(path)) throw new Error('it is outside the blueprint folder');
    return readFile(path, 'utf8');
  }

  async pluginYaml(name: string, params: Record<string, string>): Promise<ImportedText> {
    const source = await this.input.pluginYaml(name, params);
    if (!source.found) throw new DslError(source.message);
    this.pluginRoots.set(source.dir, `plugin:${name}/`);
    return { file: source.file, text: source.text };
  }

  async blueprintYaml(id: string): Promise<{ file: string; text: string }> {
    const folder = await this.input.importedBlueprint(id);
    if (!folder) {
      throw new DslError(
        `Requested blueprint import \`${id}\` was not found, please first upload the blueprint with that id.`,
      );
    }
    this.roots.set(folder.dir, `blueprint:${id}/`);
    const file = join(folder.dir, folder.mainFile);
    return { file, text: await readFile(file, 'utf8') };
  }

  resourceExists(path: string): boolean {
    const plain = withoutNamespace(path);
    return [...this.roots.keys()].some((root) => {
      const target = resolveInside(root, plain);
      return target !== undefined && existsSync(target);
    });
  }

  /** A message with our folders replaced by what users know them as. */
  shorten(message: string): string {
    let short = message;
    for (const [root, shown] of [...this.roots, ...this.pluginRoots]) {
      short = short.split(`${root}/`).join(shown);
    }
    return short;
  }
}

/** A DSL error whose message names files relative to the blueprint, not our folders. */
export class BlueprintDslError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'BlueprintDslError';
  }
}

/**
 * Parses an extracted blueprint with libs/dsl. Throws BlueprintDslError for a blueprint the DSL
 * refuses; anything else thrown is a failure of ours.
 */
export async function parseBlueprintFolder(input: ParseInput): Promise<BlueprintPlan> {
  const sources = new ConfinedSources(input);
  const main = join(input.dir, input.mainFile);
  try {
    return await parseBlueprint(await readFile(main, 'utf8'), main, {
      sources,
      resourceExists: (path) => sources.resourceExists(path),
    });
  } catch (error) {
    if (error instanceof DslError) throw new BlueprintDslError(sources.shorten(error.describe()));
    throw error;
  }
}
