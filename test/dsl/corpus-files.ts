import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportSources } from '@nestify/dsl';

/** The blueprint corpus: one folder per case under test/fixtures/blueprints. */
export const CORPUS = join(__dirname, '..', 'fixtures', 'blueprints');

/** The case folders' names, sorted. */
export function corpusCases(): string[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** `plugin:` and `blueprint:` imports of a case, answered from its plugins/ and blueprints/ folders. */
export function sourcesFor(dir: string): ImportSources {
  const answer = (folder: string, name: string) => {
    const file = join(dir, folder, `${name}.yaml`);
    return existsSync(file)
      ? { file: `${folder}/${name}.yaml`, text: readFileSync(file, 'utf8') }
      : undefined;
  };
  return {
    pluginYaml: async (name) => answer('plugins', name),
    blueprintYaml: async (id) => answer('blueprints', id),
  };
}
