import type { JsonMap, JsonValue } from '@nestify/plugin-sdk';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g;

/**
 * Replaces `{{ name }}` and `{{ a.b }}` placeholders with values from `variables` (strings as-is,
 * others as JSON); unknown names render empty. A small subset of the Jinja2 Cloudify uses,
 * enough for configuration files.
 */
export function renderTemplate(text: string, variables: JsonMap): string {
  return text.replace(PLACEHOLDER, (_match, path: string) => {
    let value: JsonValue | undefined = variables;
    for (const key of path.split('.')) {
      value =
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? value[key]
          : undefined;
    }
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
