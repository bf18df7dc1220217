import { readFileSync } from 'fs';
import { join } from 'path';

/** The import path blueprints use to reach the built-in types. */
export const BUILTIN_TYPES_IMPORT = 'cloudify/types/types.yaml';

let cached: string | undefined;

/** The text of our types.yaml (read once from beside this file, cached). */
export function builtinTypesYaml(): string {
  if (cached === undefined) {
    cached = readFileSync(join(__dirname, 'types.yaml'), 'utf8');
  }
  return cached;
}
