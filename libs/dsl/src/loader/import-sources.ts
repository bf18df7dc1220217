import { readFile } from 'node:fs/promises';

/** A file that an import resolved to. */
export interface ImportedText {
  /** How the file is named in errors (a path, `plugin:…`, a URL). */
  file: string;
  text: string;
}

/**
 * Where imports come from, injected so the parser does no I/O of its own choosing: relative files
 * (default: the file system), uploaded plugins' yaml, uploaded blueprints, and URLs (default:
 * refused, the manager runs offline).
 */
export interface ImportSources {
  readFile?(path: string): Promise<string>;
  pluginYaml?(name: string, params: Record<string, string>): Promise<ImportedText | undefined>;
  blueprintYaml?(id: string): Promise<ImportedText | undefined>;
  fetchUrl?(url: string): Promise<string>;
}

export const defaultReadFile = (path: string): Promise<string> => readFile(path, 'utf8');
